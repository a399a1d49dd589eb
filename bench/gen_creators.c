/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * gen_creators.c - deterministic generator of a creators CSV for bench/discover.
 *
 *     gen_creators OUT.csv N
 *
 * Writes N creators (platform, handle, followers, country, language, niches, bio, audience
 * countries / ages / genders, fee) in the columns of `crest import creators`. Bios are 8 to 20
 * words: each creator has one or two of 40 topics, and most of its words come from those
 * topics' word lists, the rest from a list of general words, so that a topic word matches a
 * few percent of the creators, as in a real directory. Followers are log-normal (median about
 * 12K), audiences lean to the creator's country. The seed is fixed: the same arguments give
 * the same bytes. It links nothing from crest. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_SEED      0xd15c0e4ed0c0ffeeULL
#define GEN_IO_BUFFER (4u << 20)
#define TOPICS        40
#define TOPIC_WORDS   12

static const char *const platforms[] = { "instagram", "tiktok", "youtube" };
static const char *const countries[] = { "US", "GB", "DE", "FR", "BR", "IN", "CA", "AU",
                                         "ES", "IT", "MX", "NL", "SE", "JP", "KR", "PL" };
static const char *const languages[] = { "en", "en", "de", "fr", "pt-BR", "en", "en", "en",
                                         "es", "it", "es", "nl", "sv",    "ja", "ko", "pl" };
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

/* 40 topics x 12 words */
static const char *const topic_words[TOPICS][TOPIC_WORDS] = {
    { "running", "marathon", "trail", "pace", "race", "miles", "tempo", "shoes", "runner", "5k",
      "halfmarathon", "strava" },
    { "vegan", "plantbased", "tofu", "lentils", "recipes", "meals", "kitchen", "baking",
      "dairyfree", "veggies", "bowls", "protein" },
    { "skincare", "serum", "spf", "retinol", "moisturizer", "acne", "glow", "routine", "cleanser",
      "niacinamide", "dermatologist", "sunscreen" },
    { "makeup", "lipstick", "foundation", "eyeliner", "palette", "contour", "brows", "lashes",
      "grwm", "tutorial", "beauty", "blush" },
    { "fashion", "outfit", "ootd", "capsule", "wardrobe", "thrift", "denim", "styling", "blazer",
      "sneakers", "streetwear", "vintage" },
    { "travel", "itinerary", "backpacking", "hostel", "flights", "islands", "roadtrip", "passport",
      "wanderlust", "beaches", "hiking", "slowtravel" },
    { "gaming", "twitch", "fps", "rpg", "speedrun", "console", "controller", "esports", "loot",
      "minecraft", "fortnite", "stream" },
    { "tech", "gadgets", "smartphone", "laptop", "review", "unboxing", "desksetup", "keyboard",
      "headphones", "android", "iphone", "camera" },
    { "finance", "investing", "budgeting", "stocks", "etf", "savings", "retirement", "debt",
      "crypto", "dividends", "frugal", "money" },
    { "fitness", "gym", "workout", "squats", "deadlift", "hiit", "gains", "mobility", "core",
      "kettlebell", "training", "strength" },
    { "yoga", "meditation", "breathwork", "mindfulness", "flow", "asana", "stretching", "calm",
      "wellness", "pilates", "balance", "retreat" },
    { "parenting", "toddler", "baby", "momlife", "dadlife", "newborn", "kids", "family",
      "homeschool", "sleep", "nursery", "milestones" },
    { "pets", "dog", "puppy", "cat", "kitten", "grooming", "vet", "training", "adoption", "rescue",
      "walks", "treats" },
    { "home", "interior", "decor", "diy", "renovation", "furniture", "plants", "cozy", "organizing",
      "minimalist", "apartment", "makeover" },
    { "coffee", "espresso", "latte", "barista", "beans", "roast", "brew", "pourover", "cafe",
      "grinder", "aeropress", "matcha" },
    { "wine", "sommelier", "vineyard", "tasting", "pairing", "natural", "cellar", "rose",
      "champagne", "cocktails", "mixology", "bar" },
    { "photography", "lens", "portrait", "landscape", "lightroom", "film", "shoot", "golden",
      "composition", "drone", "editing", "presets" },
    { "books", "reading", "booktok", "novel", "fantasy", "thriller", "library", "bookclub",
      "romance", "authors", "literature", "tbr" },
    { "music", "guitar", "piano", "producer", "beats", "vocals", "songwriting", "concert", "vinyl",
      "playlist", "band", "studio" },
    { "dance", "choreography", "ballet", "hiphop", "salsa", "kpop", "routine", "moves", "dancer",
      "tiktokdance", "freestyle", "rehearsal" },
    { "cars", "automotive", "ev", "tesla", "motorsport", "detailing", "roadster", "engine", "track",
      "restoration", "jdm", "drift" },
    { "cycling", "bike", "gravel", "peloton", "climbs", "watts", "commute", "mtb", "roadbike",
      "tour", "cadence", "helmet" },
    { "outdoors", "camping", "backcountry", "gear", "tent", "summit", "alpine", "climbing", "kayak",
      "wilderness", "fishing", "survival" },
    { "food", "foodie", "restaurant", "streetfood", "brunch", "pizza", "ramen", "tacos", "burgers",
      "dessert", "chef", "eats" },
    { "baking", "sourdough", "bread", "cakes", "pastry", "cookies", "croissant", "oven", "flour",
      "frosting", "pie", "bakery" },
    { "comedy", "sketch", "standup", "jokes", "parody", "skits", "funny", "prank", "memes",
      "improv", "relatable", "bits" },
    { "education", "study", "science", "math", "history", "lessons", "explainer", "students",
      "exam", "teacher", "facts", "learning" },
    { "art", "painting", "illustration", "sketchbook", "watercolor", "procreate", "canvas",
      "gallery", "portraits", "ink", "mural", "artist" },
    { "diy", "crafts", "sewing", "knitting", "crochet", "woodworking", "pottery", "handmade",
      "upcycle", "embroidery", "resin", "maker" },
    { "gardening", "garden", "seeds", "harvest", "compost", "vegetables", "houseplants", "flowers",
      "permaculture", "greenhouse", "soil", "pruning" },
    { "sustainability", "zerowaste", "climate", "recycling", "ecofriendly", "slowfashion", "solar",
      "thrifting", "plasticfree", "refill", "green", "ethical" },
    { "wedding", "bride", "engagement", "bridal", "venue", "florals", "planner", "honeymoon",
      "dress", "ceremony", "vows", "bouquet" },
    { "luxury", "watches", "jewelry", "designer", "handbags", "couture", "yacht", "hotel",
      "firstclass", "resort", "villa", "concierge" },
    { "health", "nutrition", "dietitian", "hormones", "gut", "vitamins", "doctor", "sleep",
      "longevity", "immunity", "wellbeing", "habits" },
    { "career", "linkedin", "jobs", "interview", "resume", "leadership", "startup", "productivity",
      "remote", "founder", "business", "marketing" },
    { "football", "soccer", "goals", "matchday", "stadium", "skills", "freestyle", "league",
      "transfer", "tactics", "striker", "fans" },
    { "basketball", "nba", "hoops", "dunk", "court", "highlights", "jordan", "playoffs",
      "crossover", "streetball", "buckets", "coach" },
    { "anime", "manga", "cosplay", "otaku", "studio", "episodes", "figures", "convention", "shonen",
      "isekai", "fanart", "weeb" },
    { "hair", "haircare", "curls", "braids", "barber", "fade", "color", "blowout", "scalp",
      "extensions", "salon", "styling" },
    { "nails", "manicure", "gelnails", "nailart", "acrylics", "polish", "pedicure", "chrome",
      "frenchtips", "cuticles", "press", "manicurist" },
};

static const char *const general_words[] = {
    "daily",   "life",      "creator", "sharing",   "love",    "tips",     "hacks",    "best",
    "weekly",  "journey",   "real",    "honest",    "content", "videos",   "stories",  "guide",
    "easy",    "simple",    "ideas",   "inspo",     "vibes",   "everyday", "favorite", "city",
    "world",   "lifestyle", "based",   "mom",       "dad",     "student",  "friends",  "community",
    "collabs", "brand",     "partner", "email",     "booking", "links",    "shop",     "discount",
    "code",    "join",      "follow",  "subscribe", "new",     "videos",   "morning",  "night",
};

typedef struct {
    uint64_t s;
} gen_rng;

/* splitmix64 */
static uint64_t rng_next(gen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rng_uniform(gen_rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static uint64_t rng_below(gen_rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

static double rng_normal(gen_rng *r)
{
    double u = rng_uniform(r), v = rng_uniform(r);

    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static int write_row(FILE *f, gen_rng *r, long i)
{
    int plat = (int)rng_below(r, 3), t1 = (int)rng_below(r, TOPICS), t2 = -1;
    int c = (int)(rng_uniform(r) < 0.35 ? 0 : rng_below(r, NCOUNTRIES));
    int nwords = 8 + (int)rng_below(r, 13), k, o1, o2;
    double followers = exp(log(12000) + 1.6 * rng_normal(r));
    double home = 0.35 + 0.4 * rng_uniform(r), rest = (1 - home) * 0.8;
    double female = 0.2 + 0.6 * rng_uniform(r), young = 0.1 + 0.4 * rng_uniform(r);
    char bio[512];
    size_t len = 0;

    if (rng_uniform(r) < 0.5)
        t2 = (int)rng_below(r, TOPICS);
    if (followers < 100)
        followers = 100;
    if (followers > 5e8)
        followers = 5e8;
    bio[0] = '\0';
    for (k = 0; k < nwords; k++) {
        const char *w;
        double u = rng_uniform(r);
        if (u < 0.45)
            w = topic_words[t1][rng_below(r, TOPIC_WORDS)];
        else if (u < 0.65 && t2 >= 0)
            w = topic_words[t2][rng_below(r, TOPIC_WORDS)];
        else
            w = general_words[rng_below(r, sizeof(general_words) / sizeof(general_words[0]))];
        len += (size_t)snprintf(bio + len, sizeof(bio) - len, "%s%s", k ? " " : "", w);
    }
    o1 = (int)rng_below(r, NCOUNTRIES);
    o2 = (int)rng_below(r, NCOUNTRIES);
    if (o1 == c)
        o1 = (o1 + 1) % (int)NCOUNTRIES;
    if (o2 == c || o2 == o1)
        o2 = (o2 + 2) % (int)NCOUNTRIES;
    if (o2 == c || o2 == o1)
        o2 = (o2 + 3) % (int)NCOUNTRIES;
    return fprintf(f,
                   "%s,c%07ld,%.0f,%s,%s,%s%s%s,%s,%s:%.3f;%s:%.3f;%s:%.3f,13-17:%.3f;18-24:%.3f;"
                   "25-34:%.3f;35-44:%.3f;45+:%.3f,female:%.3f;male:%.3f,%.0f,USD\n",
                   platforms[plat], i, followers, countries[c], languages[c], topic_words[t1][0],
                   t2 >= 0 ? ";" : "", t2 >= 0 ? topic_words[t2][0] : "", bio, countries[c], home,
                   countries[o1], rest * 0.6, countries[o2], rest * 0.4, young * 0.2, young * 0.8,
                   (1 - young) * 0.45, (1 - young) * 0.3, (1 - young) * 0.25, female,
                   (1 - female) * 0.98, 50 + followers * (0.005 + 0.01 * rng_uniform(r))) < 0
               ? -1
               : 0;
}

int main(int argc, char **argv)
{
    gen_rng r = { GEN_SEED };
    char *end = NULL;
    long n, i;
    FILE *f;

    if (argc != 3) {
        fprintf(stderr, "usage: gen_creators OUT.csv N\n");
        return 2;
    }
    n = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || n < 1) {
        fprintf(stderr, "gen_creators: N: expected a positive number, found '%s'\n", argv[2]);
        return 2;
    }
    if ((f = fopen(argv[1], "w")) == NULL) {
        fprintf(stderr, "gen_creators: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    setvbuf(f, NULL, _IOFBF, GEN_IO_BUFFER);
    fputs("platform,handle,followers,country,language,niches,bio,audience_countries,"
          "audience_age,audience_gender,fee,fee_currency\n",
          f);
    for (i = 0; i < n; i++)
        if (write_row(f, &r, i) < 0)
            break;
    if (fclose(f) != 0 || i < n) {
        fprintf(stderr, "gen_creators: %s: write failed\n", argv[1]);
        return 1;
    }
    return 0;
}
