/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * demo.c - the seeded generator behind `crest demo`.
 *
 * All randomness comes from cr_rng streams derived from the seed: one stream plans the
 * creators (platform, tier, names, unique handles), one plans the campaigns and their
 * partnerships, and every creator gets a stream of its own for its follower series, posts,
 * metrics and comments, so one creator's data does not depend on how many draws the others
 * made. The plan is made in memory first. Then everything is written in one transaction:
 * the campaigns and their KPIs, then creator by creator its profile, snapshots,
 * partnerships, posts, metric captures and comments, so that a post can carry the id of the
 * partnership it was made for. Every write is an upsert on a natural key, so running the
 * generator again with the same options changes nothing.
 *
 * Tier cut-offs are Later x Fohr's (as in the CLI); base engagement rates follow Untapper's
 * 2026 benchmarks: per follower on Instagram, per view on TikTok and YouTube. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/demo.h"
#include "crest/discover.h"
#include "crest/review.h"
#include "demo/outreach.h"
#include "demo/program.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/map.h"
#include "util/rng.h"

#define DAY             86400
#define DEFAULT_SEED    20260701ULL
#define DEFAULT_DAYS    90
#define DEFAULT_CREATOR 320
#define MAX_DAYS        3660
#define MAX_CREATORS    1000000
#define MAX_DAILY_POSTS 3
#define MAX_HANDLE      24 /* TikTok's limit, the shortest of the three */
#define CAPTURES        4

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIT(n)   (1u << (n))

/* ---- data tables ---------------------------------------------------------------------- */

enum { PLAT_IG, PLAT_TT, PLAT_YT, PLAT_COUNT };
enum { TIER_NANO, TIER_MICRO, TIER_MID, TIER_MACRO, TIER_MEGA, TIER_COUNT };

static const char *const platform_names[PLAT_COUNT] = { "instagram", "tiktok", "youtube" };
static const double platform_shares[PLAT_COUNT] = { 0.45, 0.35, 0.20 };
static const double fee_platform_factor[PLAT_COUNT] = { 1.0, 0.9, 1.4 };

typedef struct {
    double share;             /* of the creators */
    double lo, hi;            /* followers at the end of the series, [lo, hi) */
    double er[PLAT_COUNT][2]; /* base ER: Instagram per follower, TikTok/YouTube per view */
    double fee[2];            /* USD per partnership */
    double following[2];
} tier_def;

/* clang-format off */
static const tier_def tier_defs[TIER_COUNT] = {
    /* share, followers [lo, hi), ER on Instagram, TikTok and YouTube, then fee USD, following */
    { 0.40, 1500, 1e4,  { { .030, .050 }, { .06, .10 },  { .032, .042 } },
      { 150, 500 },   { 250, 1500 } },
    { 0.32, 1e4, 1e5,   { { .020, .035 }, { .04, .07 },  { .028, .038 } },
      { 500, 2500 },  { 300, 1800 } },
    { 0.16, 1e5, 5e5,   { { .015, .025 }, { .03, .05 },  { .024, .034 } },
      { 2500, 8000 }, { 200, 1500 } },
    { 0.07, 5e5, 1e6,   { { .010, .018 }, { .02, .035 }, { .020, .030 } },
      { 8e3, 2e4 },   { 100, 1200 } },
    { 0.05, 1e6, 1.5e7, { { .007, .012 }, { .01, .02 },  { .018, .026 } },
      { 2e4, 6e4 },   { 50, 800 } },
};
/* clang-format on */

enum {
    FMT_IG_REEL,
    FMT_IG_CAROUSEL,
    FMT_IG_IMAGE,
    FMT_IG_STORY,
    FMT_TT_VIDEO,
    FMT_YT_VIDEO,
    FMT_YT_SHORT,
    FMT_COUNT
};

typedef struct {
    const char *name;
    int platform;
    double share;     /* of the platform's posts */
    int video;        /* has views and watch time */
    double reach, er; /* multipliers on the creator's reach and engagement */
    double watch[2];  /* average seconds watched per view */
} format_def;

static const format_def format_defs[FMT_COUNT] = {
    [FMT_IG_REEL] = { "reel", PLAT_IG, 0.45, 1, 1.25, 1.1, { 5, 14 } },
    [FMT_IG_CAROUSEL] = { "carousel", PLAT_IG, 0.25, 0, 0.9, 1.2, { 0, 0 } },
    [FMT_IG_IMAGE] = { "image", PLAT_IG, 0.20, 0, 0.8, 0.9, { 0, 0 } },
    [FMT_IG_STORY] = { "story", PLAT_IG, 0.10, 0, 0.3, 0.25, { 0, 0 } },
    [FMT_TT_VIDEO] = { "video", PLAT_TT, 1.00, 1, 1.0, 1.0, { 7, 18 } },
    [FMT_YT_VIDEO] = { "video", PLAT_YT, 0.45, 1, 1.0, 1.0, { 90, 420 } },
    [FMT_YT_SHORT] = { "short", PLAT_YT, 0.55, 1, 1.1, 0.9, { 12, 35 } },
};

/* Posts per week, by platform: YouTube creators publish less often. */
static const double posts_per_week[PLAT_COUNT][2] = { { 2, 5 }, { 2.5, 5 }, { 1, 3 } };

/* Share of a post's 30-day totals reached by each capture (day 1, 3, 7, 30). */
static const int capture_days[CAPTURES] = { 1, 3, 7, 30 };
static const double capture_share[CAPTURES] = { 0.55, 0.80, 0.93, 1.0 };

/* Weights of the posting hour (UTC): late morning and evening peaks. */
static const double hour_weights[24] = { 1, 1, 1, 1, 1, 1, 2,  3,  4, 5, 6, 8,
                                         9, 8, 7, 7, 8, 9, 10, 10, 9, 7, 4, 2 };

enum {
    N_FITNESS,
    N_RUNNING,
    N_BEAUTY,
    N_SKINCARE,
    N_FOOD,
    N_TRAVEL,
    N_GAMING,
    N_TECH,
    N_FASHION,
    N_PARENTING,
    N_FINANCE,
    N_HOME,
    N_OUTDOORS,
    N_MUSIC,
    N_PETS,
    NICHE_COUNT
};

typedef struct {
    const char *name;
    const char *phrase;   /* for bios */
    const char *prefix;   /* handle prefix: "chef" in "chefleo_eats" */
    const char *words[3]; /* handle words: "eats" */
    int related[2];       /* niches that often come with this one */
    const char *captions[3];
    const char *hashtags;
    const char *comments[2]; /* genuine comments on the topic */
} niche_def;

static const niche_def niche_defs[NICHE_COUNT] = {
    { "fitness",
      "home workouts",
      "coach",
      { "fit", "lifts", "strong" },
      { N_RUNNING, N_FOOD },
      { "Leg day done. Four moves, no excuses, save this for your next session.",
        "30-minute full-body workout with one pair of dumbbells.",
        "Progress check: same weight, cleaner form, eight more reps than in spring." },
      "#fitness #workout #strengthtraining",
      { "Trying this tomorrow, my legs are already scared",
        "How many rounds of the circuit do you do?" } },
    { "running",
      "marathon training",
      "run",
      { "runs", "miles", "runner" },
      { N_FITNESS, N_OUTDOORS },
      { "Easy 10k before work, the legs feel fresh again.",
        "Long run Sunday: 28 km, negative split, one very happy runner.",
        "Three things I changed in my marathon block this year." },
      "#running #marathontraining #runnerlife",
      { "What shoes are you wearing here?", "That pace on an easy day, well done" } },
    { "beauty",
      "everyday makeup",
      "glam",
      { "beauty", "glam", "makeup" },
      { N_SKINCARE, N_FASHION },
      { "Five-minute makeup for the days you overslept.",
        "Testing the viral lip combo so you don't have to.",
        "Soft glam for a summer wedding, products in order below." },
      "#makeup #beauty #grwm",
      { "What shade is the blush?", "This looks so natural on you" } },
    { "skincare",
      "routines for sensitive skin",
      "glow",
      { "skin", "glow", "derm" },
      { N_BEAUTY, N_FASHION },
      { "My morning routine for sensitive skin, four steps only.",
        "Retinol week three: what changed and what didn't.",
        "SPF you actually want to reapply, ranked." },
      "#skincare #skincareroutine #spf",
      { "Does this work for oily skin too?", "Finally someone explains retinol properly" } },
    { "food",
      "easy weeknight recipes",
      "chef",
      { "eats", "cooks", "kitchen" },
      { N_TRAVEL, N_HOME },
      { "One-pan lemon orzo, ready in 20 minutes.",
        "Crispy chickpea tacos that even my picky friends love.",
        "Sunday meal prep: five lunches, one grocery run." },
      "#food #recipe #easyrecipes",
      { "Making this tonight, thanks for the recipe!",
        "Can I swap the feta for something dairy-free?" } },
    { "travel",
      "city guides",
      "wander",
      { "travels", "wanders", "abroad" },
      { N_FOOD, N_OUTDOORS },
      { "48 hours in Lisbon: where to eat, sleep and watch the sunset.",
        "The train route I would take again tomorrow.",
        "Packing list for two weeks with one carry-on." },
      "#travel #travelguide #slowtravel",
      { "Saving this for my trip next month", "Which hotel was this? The view is unreal" } },
    { "gaming",
      "cozy games",
      "its",
      { "plays", "gg", "games" },
      { N_TECH, N_MUSIC },
      { "New personal best on the any% run, chat went wild.",
        "Five cozy games for a rainy weekend.", "This boss took me 43 tries. Worth it." },
      "#gaming #gamer #indiegames",
      { "That last dodge was clean", "What settings do you use for this?" } },
    { "tech",
      "honest gadget reviews",
      "dev",
      { "tech", "codes", "gadgets" },
      { N_GAMING, N_FINANCE },
      { "Two weeks with the new earbuds: the good and the annoying.",
        "My desk setup for 2026, every item linked.",
        "Three apps that actually saved me time this month." },
      "#tech #gadgets #desksetup",
      { "How is the battery life after a few weeks?", "Great review, no fluff" } },
    { "fashion",
      "capsule wardrobes",
      "style",
      { "style", "fits", "wears" },
      { N_BEAUTY, N_TRAVEL },
      { "Five outfits, ten pieces: my autumn capsule.", "Styling one blazer three ways.",
        "Thrift haul and how I would wear each piece." },
      "#fashion #ootd #capsulewardrobe",
      { "Where is the coat from?", "The second outfit is my favourite" } },
    { "parenting",
      "real family life",
      "team",
      { "family", "parents", "littles" },
      { N_FOOD, N_HOME },
      { "What a realistic morning with two kids under five looks like.",
        "Rainy day activities that bought us two quiet hours.",
        "Lunchbox ideas my kids actually eat." },
      "#parenting #familylife #toddlerlife",
      { "This is so relatable, thank you", "Saving the rainy day ideas!" } },
    { "finance",
      "budgeting tips",
      "frugal",
      { "money", "invests", "saves" },
      { N_TECH, N_PARENTING },
      { "How I split my paycheck into four accounts.",
        "Three budgeting mistakes I made in my twenties.",
        "Index funds explained in sixty seconds." },
      "#personalfinance #budgeting #investing",
      { "Which app do you use for the budget?", "Wish I had seen this five years ago" } },
    { "home",
      "small-space makeovers",
      "casa",
      { "home", "nest", "living" },
      { N_PARENTING, N_FOOD },
      { "Rental-friendly kitchen refresh on a small budget.",
        "Before and after: the hallway nobody looked at.",
        "Five storage ideas for a tiny bathroom." },
      "#homedecor #interiordesign #diy",
      { "Where is the lamp from?", "Such a difference, love it" } },
    { "outdoors",
      "wild camping trips",
      "wild",
      { "outdoors", "trails", "hikes" },
      { N_TRAVEL, N_RUNNING },
      { "Sunrise from the ridge was worth the 4 am alarm.",
        "Gear I actually used on a five-day hike.",
        "Leave no trace: three habits for every trip." },
      "#hiking #outdoors #camping",
      { "Which trail is this?", "Adding this to my list for next summer" } },
    { "music",
      "acoustic covers",
      "dj",
      { "music", "beats", "sings" },
      { N_GAMING, N_TRAVEL },
      { "Acoustic cover of the song you asked for all month.", "Making a beat from kitchen sounds.",
        "New single out Friday, here's the hook." },
      "#music #cover #producer",
      { "Your voice on the bridge, wow", "Please release this version" } },
    { "pets",
      "dog life",
      "paws",
      { "pets", "dogs", "paws" },
      { N_OUTDOORS, N_HOME },
      { "Teaching an old dog a new trick: day 12.", "What my dog eats in a day.",
        "Three enrichment toys you can make in ten minutes." },
      "#pets #doglife #dogsofinstagram",
      { "Give him a scratch from me", "What breed is she? So cute" } },
};

typedef struct {
    const char *display, *ascii; /* ascii: lower-case letters, for handles and e-mails */
} name_part;

typedef struct {
    name_part first[10];
    name_part last[8];
} name_pool;

enum { POOL_EN, POOL_IN, POOL_DE, POOL_FR, POOL_PT, POOL_ES, POOL_IT, POOL_NL, POOL_SV };

/* clang-format off */
static const name_pool name_pools[] = {
    [POOL_EN] = {
        { { "Maya", "maya" }, { "Leo", "leo" }, { "Chloe", "chloe" }, { "Jake", "jake" },
          { "Emma", "emma" }, { "Noah", "noah" }, { "Olivia", "olivia" }, { "Ethan", "ethan" },
          { "Ava", "ava" }, { "Liam", "liam" } },
        { { "Carter", "carter" }, { "Brooks", "brooks" }, { "Hayes", "hayes" }, { "Reed", "reed" },
          { "Morgan", "morgan" }, { "Bennett", "bennett" }, { "Foster", "foster" },
          { "Quinn", "quinn" } } },
    [POOL_IN] = {
        { { "Priya", "priya" }, { "Arjun", "arjun" }, { "Ananya", "ananya" }, { "Rohan", "rohan" },
          { "Isha", "isha" }, { "Kabir", "kabir" }, { "Meera", "meera" }, { "Vikram", "vikram" },
          { "Diya", "diya" }, { "Aarav", "aarav" } },
        { { "Sharma", "sharma" }, { "Patel", "patel" }, { "Iyer", "iyer" }, { "Kapoor", "kapoor" },
          { "Reddy", "reddy" }, { "Nair", "nair" }, { "Mehta", "mehta" }, { "Gupta", "gupta" } } },
    [POOL_DE] = {
        { { "Lena", "lena" }, { "Jonas", "jonas" }, { "Mia", "mia" }, { "Felix", "felix" },
          { "Hannah", "hannah" }, { "Lukas", "lukas" }, { "Sophie", "sophie" }, { "Paul", "paul" },
          { "Marie", "marie" }, { "Jannik", "jannik" } },
        { { "Müller", "mueller" }, { "Schmidt", "schmidt" }, { "Becker", "becker" },
          { "Wagner", "wagner" }, { "Hoffmann", "hoffmann" }, { "Schäfer", "schaefer" },
          { "Koch", "koch" }, { "Krüger", "krueger" } } },
    [POOL_FR] = {
        { { "Léa", "lea" }, { "Hugo", "hugo" }, { "Chloé", "chloe" }, { "Louis", "louis" },
          { "Camille", "camille" }, { "Jules", "jules" }, { "Manon", "manon" }, { "Théo", "theo" },
          { "Inès", "ines" }, { "Lucas", "lucas" } },
        { { "Dubois", "dubois" }, { "Moreau", "moreau" }, { "Laurent", "laurent" },
          { "Lefèvre", "lefevre" }, { "Girard", "girard" }, { "Roux", "roux" },
          { "Fontaine", "fontaine" }, { "Mercier", "mercier" } } },
    [POOL_PT] = {
        { { "João", "joao" }, { "Ana", "ana" }, { "Lucas", "lucas" }, { "Beatriz", "beatriz" },
          { "Gabriel", "gabriel" }, { "Larissa", "larissa" }, { "Rafael", "rafael" },
          { "Camila", "camila" }, { "Thiago", "thiago" }, { "Júlia", "julia" } },
        { { "Silva", "silva" }, { "Santos", "santos" }, { "Oliveira", "oliveira" },
          { "Souza", "souza" }, { "Costa", "costa" }, { "Ferreira", "ferreira" },
          { "Almeida", "almeida" }, { "Ribeiro", "ribeiro" } } },
    [POOL_ES] = {
        { { "Lucía", "lucia" }, { "Mateo", "mateo" }, { "Sofía", "sofia" }, { "Diego", "diego" },
          { "Valentina", "valentina" }, { "Pablo", "pablo" }, { "Carmen", "carmen" },
          { "Javier", "javier" }, { "Elena", "elena" }, { "Alejandro", "alejandro" } },
        { { "García", "garcia" }, { "Martínez", "martinez" }, { "López", "lopez" },
          { "Sánchez", "sanchez" }, { "Romero", "romero" }, { "Navarro", "navarro" },
          { "Torres", "torres" }, { "Ruiz", "ruiz" } } },
    [POOL_IT] = {
        { { "Giulia", "giulia" }, { "Marco", "marco" }, { "Chiara", "chiara" }, { "Luca", "luca" },
          { "Francesca", "francesca" }, { "Matteo", "matteo" }, { "Sara", "sara" },
          { "Alessandro", "alessandro" }, { "Martina", "martina" }, { "Davide", "davide" } },
        { { "Rossi", "rossi" }, { "Bianchi", "bianchi" }, { "Romano", "romano" },
          { "Colombo", "colombo" }, { "Ricci", "ricci" }, { "Marino", "marino" },
          { "Greco", "greco" }, { "Conti", "conti" } } },
    [POOL_NL] = {
        { { "Sanne", "sanne" }, { "Daan", "daan" }, { "Fleur", "fleur" }, { "Bram", "bram" },
          { "Lotte", "lotte" }, { "Sem", "sem" }, { "Noor", "noor" }, { "Thijs", "thijs" },
          { "Eva", "eva" }, { "Lars", "lars" } },
        { { "de Vries", "devries" }, { "Jansen", "jansen" }, { "Bakker", "bakker" },
          { "Visser", "visser" }, { "Smit", "smit" }, { "Meijer", "meijer" },
          { "de Boer", "deboer" }, { "Mulder", "mulder" } } },
    [POOL_SV] = {
        { { "Elsa", "elsa" }, { "Oskar", "oskar" }, { "Ebba", "ebba" }, { "Axel", "axel" },
          { "Saga", "saga" }, { "Linnea", "linnea" }, { "Erik", "erik" }, { "Astrid", "astrid" },
          { "Hugo", "hugo" }, { "Maja", "maja" } },
        { { "Andersson", "andersson" }, { "Johansson", "johansson" },
          { "Lindqvist", "lindqvist" }, { "Berg", "berg" }, { "Nyström", "nystrom" },
          { "Holm", "holm" }, { "Ek", "ek" }, { "Sjöberg", "sjoberg" } } },
};
/* clang-format on */

typedef struct {
    const char *code, *language;
    int pool;
    double weight;
    const char *cities[3];
} country_def;

static const country_def country_defs[] = {
    { "US", "en", POOL_EN, 28, { "Austin", "Denver", "Brooklyn" } },
    { "GB", "en", POOL_EN, 10, { "London", "Manchester", "Bristol" } },
    { "DE", "de", POOL_DE, 8, { "Berlin", "Munich", "Hamburg" } },
    { "FR", "fr", POOL_FR, 7, { "Paris", "Lyon", "Bordeaux" } },
    { "BR", "pt-BR", POOL_PT, 9, { "São Paulo", "Rio de Janeiro", "Curitiba" } },
    { "IN", "en", POOL_IN, 8, { "Mumbai", "Bengaluru", "Delhi" } },
    { "CA", "en", POOL_EN, 5, { "Toronto", "Vancouver", "Calgary" } },
    { "AU", "en", POOL_EN, 4, { "Sydney", "Melbourne", "Brisbane" } },
    { "ES", "es", POOL_ES, 5, { "Madrid", "Barcelona", "Valencia" } },
    { "IT", "it", POOL_IT, 5, { "Milan", "Rome", "Bologna" } },
    { "MX", "es", POOL_ES, 5, { "Mexico City", "Guadalajara", "Monterrey" } },
    { "NL", "nl", POOL_NL, 3, { "Amsterdam", "Rotterdam", "Utrecht" } },
    { "SE", "sv", POOL_SV, 3, { "Stockholm", "Gothenburg", "Malmö" } },
};

static const char *const general_comments[] = {
    "This is so helpful, thank you!",
    "Been following for a year and this is one of your best",
    "Love how honest you are about this",
    "Sent this to my sister",
    "Can you do a part two?",
    "The editing on this is great",
};
static const char *const generic_comments[] = {
    "nice!",   "love this 🔥",      "wow", "amazing 😍",       "great post", "🔥🔥🔥",
    "so cool", "beautiful ❤️", "👏👏",  "awesome content",
};
static const char *const spam_comments[] = {
    "check my profile for free followers", "DM us to collab 💰",
    "Want more followers? Visit our page", "Earn $500 a day from home, link in bio",
    "promote it on @growth.boost.hub",     "Send it to our page to be featured 🚀",
};
static const char *const spam_authors[] = {
    "growth.boost.hub",    "promo_blast_4u",   "free.followers.now",
    "collab.queen.agency", "viral_push_daily", "brand.ambassador.hq",
};

typedef struct {
    const char *code, *role;
    double target;
    int relative;
} kpi_def;

typedef struct {
    const char *name, *brand, *brand_tag, *goal, *secondary, *objective, *currency;
    const char *pitch[3]; /* caption lines for the partnership posts, used in turn */
    unsigned int niches;  /* creators who fit the brand */
    double start, end;    /* the period as fractions of the series */
    double product_cost;  /* per partner, major units */
    int discount;         /* percent, for promo codes */
    int benchmarking;     /* 1: the first campaign of its kind, no baselines */
    kpi_def kpis[6];      /* ends at a NULL code */
} campaign_def;

/* Absolute money targets (cpm, cpe, cpl) are in minor units of the campaign's currency, as
 * crest/kpi.h keeps them; ratios are fractions; relative targets are lifts (0.25 = +25%). */
/* clang-format off */
static const campaign_def campaign_defs[] = {
    { "Acme Running Autumn Miles", "Acme Running", "acmerunning", "awareness", "engagement",
      "Introduce the Cloudstride trail shoe to runners before the autumn race season.", "USD",
      { "Took the new Acme Cloudstride out for a trail 15k and my knees are thanking me.",
        "Race-season prep starts with shoes that actually grip.",
        "Week four of my marathon block, still in the Cloudstride and still smiling." },
      BIT(N_RUNNING) | BIT(N_FITNESS) | BIT(N_OUTDOORS), 0.05, 0.40, 140, 15, 1,
      { { "impressions", "primary", 6000000, 0 },
        { "reach", "primary", 2500000, 0 },
        { "mentions", "primary", 400, 0 },
        { "cpm", "contextual", 1400, 0 },
        { NULL, NULL, 0, 0 } } },
    { "Lumen Skincare Glow Routine", "Lumen Skincare", "lumenskincare", "engagement", "awareness",
      "Spark conversation about the Lumen vitamin C serum with honest routine videos.", "EUR",
      { "Two weeks with the Lumen vitamin C serum in my morning routine, honest thoughts.",
        "The glow routine I keep coming back to, now with Lumen.",
        "Vitamin C without the sting: my Lumen review after a month." },
      BIT(N_SKINCARE) | BIT(N_BEAUTY) | BIT(N_FASHION), 0.15, 0.55, 60, 20, 0,
      { { "engagement_rate", "primary", 0.20, 1 },
        { "engagements", "primary", 0.30, 1 },
        { "comment_quality", "primary", 0.60, 0 },
        { "cpe", "contextual", 15, 0 },
        { "follower_growth", "contextual", 0.02, 0 },
        { NULL, NULL, 0, 0 } } },
    { "Northwind Travel City Breaks", "Northwind Travel", "northwindtravel", "traffic", "awareness",
      "Drive visits to the Northwind city-break planner from creators' travel stories.", "EUR",
      { "Planned this whole city break in ten minutes with the Northwind trip planner.",
        "Three nights, one carry-on, zero stress: here is how I booked it.",
        "My next weekend away is already planned, Northwind did the hard part." },
      BIT(N_TRAVEL) | BIT(N_OUTDOORS) | BIT(N_FOOD), 0.35, 0.75, 400, 10, 0,
      { { "ctr", "primary", 0.25, 1 },
        { "referral_sessions", "primary", 30000, 0 },
        { "session_duration", "primary", 90, 0 },
        { "cpm", "contextual", 1800, 0 },
        { NULL, NULL, 0, 0 } } },
    { "Ledgerly Money Reset Webinar", "Ledgerly", "ledgerly", "leads", "traffic",
      "Collect sign-ups for the Money Reset webinar series from creators' audiences.", "USD",
      { "The money reset I needed: the free Ledgerly webinar walks you through it.",
        "How I finally built a budget I stick to, sign-up link in bio.",
        "Three things I learned at the Ledgerly Money Reset session." },
      BIT(N_FINANCE) | BIT(N_TECH) | BIT(N_PARENTING), 0.55, 1.0, 0, 15, 0,
      { { "form_completions", "primary", 1800, 0 },
        { "cpl", "primary", 1400, 0 },
        { "lead_quality", "primary", 0.15, 1 },
        { "cpe", "contextual", 25, 0 },
        { NULL, NULL, 0, 0 } } },
    { "Pawsome Kitchen Launch Bundle", "Pawsome Kitchen", "pawsomekitchen", "sales", "engagement",
      "Sell the fresh-food launch bundle through creator codes and links.", "USD",
      { "Switched to fresh food from Pawsome Kitchen, and look at that bowl.",
        "Launch bundle unboxing: approved by the dog in four seconds.",
        "Week two on Pawsome Kitchen: more energy on walks, cleaner bowl." },
      BIT(N_PETS) | BIT(N_FOOD) | BIT(N_HOME), 0.70, 1.0, 45, 20, 0,
      { { "roas", "primary", 3.5, 0 },
        { "attributed_revenue", "primary", 0.40, 1 },
        { "conversion_rate", "primary", 0.025, 0 },
        { "cpm", "contextual", 1600, 0 },
        { "emv", "contextual", 0.30, 1 },
        { NULL, NULL, 0, 0 } } },
};
/* clang-format on */

#define CAMPAIGN_COUNT NELEM(campaign_defs)
#define MAX_PARTNERS   (CAMPAIGN_COUNT * 8)

/* ---- the plan ------------------------------------------------------------------------- */

typedef struct {
    int platform, tier, country, first, last;
    unsigned int niches;
    int spiked;
    int64_t followers; /* at the end of the series */
    char handle[MAX_HANDLE + 1];
} creator_plan;

typedef struct {
    int campaign, creator;
    int links; /* posts to tie to the partnership */
    int64_t fee_minor, product_cost_minor;
    int64_t id;  /* once written */
    int written; /* posts written so far, to rotate the pitch lines */
    char promo[32], utm[40];
} partner_plan;

typedef struct {
    int64_t posted_at;
    int day, format;
    int partner; /* index into demo_ctx.partners, or -1 */
} post_plan;

typedef struct {
    int64_t impressions, reach, views, likes, comments, shares, saves, clicks, watch;
} post_totals;

typedef struct {
    cr_store *st;
    uint64_t seed;
    int ncreators, days;
    int64_t first_day, end_date; /* midnight UTC of the first and the last day */
    creator_plan *creators;
    partner_plan partners[MAX_PARTNERS];
    int npartners;
    int64_t campaign_ids[CAMPAIGN_COUNT];
    int64_t budgets[CAMPAIGN_COUNT];
    double *followers, *real; /* per day, the creator being written; real excludes bought */
    post_plan *posts;
    int nposts;
    cr_demo_summary sum;
} demo_ctx;

/* ---- small helpers -------------------------------------------------------------------- */

static double between(cr_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * cr_rng_uniform(r);
}

static double log_between(cr_rng *r, double lo, double hi)
{
    return exp(between(r, log(lo), log(hi)));
}

static int pick(cr_rng *r, int n)
{
    return (int)cr_rng_range(r, 0, n - 1);
}

static int pick_weighted(cr_rng *r, const double *w, int n)
{
    double total = 0, x;
    int i;

    for (i = 0; i < n; i++)
        total += w[i];
    x = cr_rng_uniform(r) * total;
    for (i = 0; i < n - 1; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* splitmix64's finaliser: a bijection, so distinct keys give distinct ids. */
static uint64_t mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* 64 bits as 11 base64url characters, the shape of YouTube ids and Instagram shortcodes. */
static void b64_id(char out[12], uint64_t v)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int i;

    for (i = 0; i < 10; i++)
        out[i] = alpha[(v >> (58 - 6 * i)) & 63];
    out[10] = alpha[(v & 15) << 2];
    out[11] = '\0';
}

static void shuffle(int *a, int n, cr_rng *r)
{
    int i, j, t;

    for (i = n - 1; i > 0; i--) {
        j = (int)cr_rng_range(r, 0, i);
        t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Deal n slots over k classes in proportion to share (largest remainder), then shuffle, so
 * that every seed gives the same mix of platforms and tiers and small tiers never vanish. */
static void deal(int *out, int n, const double *share, int k, cr_rng *r)
{
    int count[8], i, j, used = 0, best;

    for (j = 0; j < k; j++) {
        count[j] = (int)floor(share[j] * n);
        used += count[j];
    }
    for (; used < n; used++) {
        best = 0;
        for (j = 1; j < k; j++)
            if (share[j] * n - count[j] > share[best] * n - count[best])
                best = j;
        count[best]++;
    }
    for (i = 0, j = 0; j < k; j++)
        while (count[j]-- > 0)
            out[i++] = j;
    shuffle(out, n, r);
}

static int64_t day_start(const demo_ctx *ctx, int d)
{
    return ctx->first_day + (int64_t)d * DAY;
}

static int64_t campaign_start(const demo_ctx *ctx, int i)
{
    return day_start(ctx, (int)floor(campaign_defs[i].start * (ctx->days - 1)));
}

static int64_t campaign_end(const demo_ctx *ctx, int i)
{
    int64_t end = day_start(ctx, (int)floor(campaign_defs[i].end * (ctx->days - 1)));
    int64_t start = campaign_start(ctx, i);

    return end < start ? start : end;
}

static int quarter_of(int64_t t, int *year)
{
    int m, d;

    cr_civil_from_days(t / DAY, year, &m, &d);
    return (m - 1) / 3 + 1;
}

static const name_part *first_name(const creator_plan *c)
{
    return &name_pools[country_defs[c->country].pool].first[c->first];
}

static const name_part *last_name(const creator_plan *c)
{
    return &name_pools[country_defs[c->country].pool].last[c->last];
}

static int random_niche_of(unsigned int niches, cr_rng *r)
{
    int have[NICHE_COUNT], n = 0, i;

    for (i = 0; i < NICHE_COUNT; i++)
        if (niches & BIT(i))
            have[n++] = i;
    return have[pick(r, n)];
}

/* ---- planning creators ---------------------------------------------------------------- */

/* One candidate handle from the creator's names and niche words; later attempts add
 * digits, as people do when their first choice is taken. 0 when it does not fit. */
static int handle_candidate(char *out, cr_rng *r, const creator_plan *c, int attempt)
{
    const char *first = first_name(c)->ascii, *last = last_name(c)->ascii;
    const niche_def *nd = &niche_defs[random_niche_of(c->niches, r)];
    const char *word = nd->words[pick(r, 3)];
    size_t size = MAX_HANDLE + 1;
    int n;

    switch (attempt < 8 ? pick(r, 7) : 7) {
    case 0:
        n = snprintf(out, size, "%s.%s", first, word);
        break;
    case 1:
        n = snprintf(out, size, "%s%s_%s", nd->prefix, first, word);
        break;
    case 2:
        n = snprintf(out, size, "%s_%s", first, last);
        break;
    case 3:
        n = snprintf(out, size, "%s%s%02d", first, last, (int)cr_rng_range(r, 1, 99));
        break;
    case 4:
        n = snprintf(out, size, "%swith%s", word, first);
        break;
    case 5:
        n = snprintf(out, size, "%s.%c.%s", first, last[0], word);
        break;
    case 6:
        n = snprintf(out, size, "the%s%s", first, word);
        break;
    default:
        n = snprintf(out, size, "%s.%s%d", first, word, (int)cr_rng_range(r, 1, 9999));
        break;
    }
    return n > 0 && (size_t)n < size;
}

/* A handle not yet used on the creator's platform. */
static cr_err plan_handle(creator_plan *c, int idx, cr_rng *r, cr_map *used)
{
    char key[MAX_HANDLE + 4];
    int64_t v;
    int attempt;

    for (attempt = 0; attempt < 64; attempt++) {
        if (!handle_candidate(c->handle, r, c, attempt))
            continue;
        snprintf(key, sizeof(key), "%d:%s", c->platform, c->handle);
        if (cr_map_get(&v, used, key, strlen(key)) == CR_ENOTFOUND)
            return cr_map_put(used, key, strlen(key), idx);
    }
    /* "name_000123" cannot match any pattern above, and idx is unique */
    snprintf(c->handle, sizeof(c->handle), "%.10s_%06d", first_name(c)->ascii, idx);
    snprintf(key, sizeof(key), "%d:%s", c->platform, c->handle);
    return cr_map_put(used, key, strlen(key), idx);
}

static unsigned int plan_niches(cr_rng *r)
{
    static const double count_weights[3] = { 0.45, 0.40, 0.15 };
    int want = pick_weighted(r, count_weights, 3) + 1, first = pick(r, NICHE_COUNT), n;
    unsigned int mask = BIT(first);

    for (n = 1; n < want; n++) {
        int next =
            cr_rng_uniform(r) < 0.7 ? niche_defs[first].related[pick(r, 2)] : pick(r, NICHE_COUNT);
        if (mask & BIT(next))
            next = pick(r, NICHE_COUNT);
        mask |= BIT(next);
    }
    return mask;
}

static cr_err plan_creators(demo_ctx *ctx)
{
    static const double spike_shares[2] = { 0.92, 0.08 };
    double country_weights[NELEM(country_defs)], tier_shares[TIER_COUNT];
    int *platform = NULL, *tier = NULL, *spiked = NULL, i, n = ctx->ncreators;
    cr_map used;
    cr_rng r;
    cr_err rc = CR_OK;

    cr_map_init(&used);
    cr_rng_seed(&r, ctx->seed);
    for (i = 0; i < NELEM(country_defs); i++)
        country_weights[i] = country_defs[i].weight;
    for (i = 0; i < TIER_COUNT; i++)
        tier_shares[i] = tier_defs[i].share;
    platform = cr_calloc((size_t)n, sizeof(int));
    tier = cr_calloc((size_t)n, sizeof(int));
    spiked = cr_calloc((size_t)n, sizeof(int));
    if (platform == NULL || tier == NULL || spiked == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    deal(platform, n, platform_shares, PLAT_COUNT, &r);
    deal(tier, n, tier_shares, TIER_COUNT, &r);
    deal(spiked, n, spike_shares, 2, &r);
    for (i = 0; i < n; i++) {
        creator_plan *c = &ctx->creators[i];
        const tier_def *t = &tier_defs[tier[i]];

        c->platform = platform[i];
        c->tier = tier[i];
        c->spiked = spiked[i] && ctx->days >= 8;
        c->country = pick_weighted(&r, country_weights, NELEM(country_weights));
        c->first = pick(&r, NELEM(name_pools[0].first));
        c->last = pick(&r, NELEM(name_pools[0].last));
        c->niches = plan_niches(&r);
        c->followers = (int64_t)log_between(&r, t->lo, t->hi);
        if (c->followers >= (int64_t)t->hi)
            c->followers = (int64_t)t->hi - 1;
        if ((rc = plan_handle(c, i, &r, &used)) < 0)
            goto done;
    }
done:
    cr_map_dispose(&used);
    cr_free(platform);
    cr_free(tier);
    cr_free(spiked);
    return rc;
}

/* ---- planning campaigns and partnerships ---------------------------------------------- */

static int code_taken(const demo_ctx *ctx, const char *s, int utm)
{
    int i;

    for (i = 0; i < ctx->npartners; i++)
        if (strcmp(utm ? ctx->partners[i].utm : ctx->partners[i].promo, s) == 0)
            return 1;
    return 0;
}

/* "MAYA15" and "maya_q3", made unique across the workspace so attribution is unambiguous. */
static void partner_codes(demo_ctx *ctx, partner_plan *p, const creator_plan *c, int qtr)
{
    const char *first = first_name(c)->ascii;
    char upper[16];
    int i, k, disc = campaign_defs[p->campaign].discount;

    for (i = 0; first[i] != '\0' && i < 10; i++)
        upper[i] = (char)(first[i] - 'a' + 'A');
    upper[i] = '\0';
    for (k = 0;; k++) {
        if (k == 0)
            snprintf(p->promo, sizeof(p->promo), "%s%d", upper, disc);
        else if (k == 1)
            snprintf(p->promo, sizeof(p->promo), "%s%c%d", upper, last_name(c)->ascii[0] - 32,
                     disc);
        else
            snprintf(p->promo, sizeof(p->promo), "%s%d%d", upper, disc, k);
        if (!code_taken(ctx, p->promo, 0))
            break;
    }
    for (k = 0;; k++) {
        if (k == 0)
            snprintf(p->utm, sizeof(p->utm), "%.10s_q%d", first, qtr);
        else if (k == 1)
            snprintf(p->utm, sizeof(p->utm), "%.10s%c_q%d", first, last_name(c)->ascii[0], qtr);
        else
            snprintf(p->utm, sizeof(p->utm), "%.10s%d_q%d", first, k, qtr);
        if (!code_taken(ctx, p->utm, 1))
            break;
    }
}

static void add_partner(demo_ctx *ctx, int camp, int ci, cr_rng *r)
{
    const creator_plan *c = &ctx->creators[ci];
    const tier_def *t = &tier_defs[c->tier];
    partner_plan *p = &ctx->partners[ctx->npartners];
    double fee = between(r, t->fee[0], t->fee[1]) * fee_platform_factor[c->platform];
    int year;

    memset(p, 0, sizeof(*p));
    p->campaign = camp;
    p->creator = ci;
    p->links = (int)cr_rng_range(r, 1, 3);
    p->fee_minor = (int64_t)llround(fee / 50.0) * 50 * 100;
    p->product_cost_minor = (int64_t)llround(campaign_defs[camp].product_cost * 100);
    partner_codes(ctx, p, c, quarter_of(campaign_start(ctx, camp), &year));
    ctx->npartners++;
}

/* 4 to 8 partners per campaign, creators whose niches fit the brand first. */
static cr_err plan_campaigns(demo_ctx *ctx)
{
    int *order = NULL, i, k, pass, n = ctx->ncreators;
    cr_rng r;
    cr_err rc = CR_OK;

    cr_rng_seed(&r, mix64(ctx->seed ^ 0x63616d706169676eULL));
    if ((order = cr_calloc((size_t)n, sizeof(int))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < CAMPAIGN_COUNT; i++) {
        int first = ctx->npartners, want = (int)cr_rng_range(&r, 4, 8), j;
        int64_t cost = 0;
        long long budget;

        for (k = 0; k < n; k++)
            order[k] = k;
        shuffle(order, n, &r);
        for (pass = 0; pass < 2; pass++) {
            for (k = 0; k < n && ctx->npartners - first < want; k++) {
                int taken = 0;

                if (pass == 0 && !(ctx->creators[order[k]].niches & campaign_defs[i].niches))
                    continue;
                for (j = first; j < ctx->npartners; j++)
                    taken |= ctx->partners[j].creator == order[k];
                if (!taken)
                    add_partner(ctx, i, order[k], &r);
            }
        }
        for (j = first; j < ctx->npartners; j++)
            cost += ctx->partners[j].fee_minor + ctx->partners[j].product_cost_minor;
        /* fees and products plus room for boosting and shipping, in round 500s */
        budget = llround((double)cost / 100 * between(&r, 1.15, 1.4) / 500);
        ctx->budgets[i] = (int64_t)(budget < 1 ? 1 : budget) * 500 * 100;
    }
done:
    cr_free(order);
    return rc;
}

static cr_err write_campaigns(demo_ctx *ctx)
{
    char period[16];
    int i, k, year, q;
    cr_err rc;

    for (i = 0; i < CAMPAIGN_COUNT; i++) {
        const campaign_def *d = &campaign_defs[i];
        cr_campaign c;

        memset(&c, 0, sizeof(c));
        c.name = d->name;
        c.brand = d->brand;
        c.start = campaign_start(ctx, i);
        c.end = campaign_end(ctx, i);
        c.evaluation = c.end + 14 * DAY; /* late conversions */
        c.budget_minor = ctx->budgets[i];
        c.currency = d->currency;
        c.status = c.end < ctx->end_date ? "completed" : "active";
        c.primary_goal = d->goal;
        c.secondary_goal = d->secondary;
        c.objective = d->objective;
        c.benchmarking = d->benchmarking;
        if ((rc = cr_store_campaign_upsert(&ctx->campaign_ids[i], ctx->st, &c)) < 0)
            return rc;
        ctx->sum.campaigns++;
        /* the baseline is the quarter before the campaign started */
        q = quarter_of(c.start, &year) - 1;
        if (q == 0) {
            q = 4;
            year--;
        }
        snprintf(period, sizeof(period), "%d-Q%d", year, q);
        for (k = 0; d->kpis[k].code != NULL; k++) {
            cr_campaign_kpi kpi;

            memset(&kpi, 0, sizeof(kpi));
            kpi.campaign_id = ctx->campaign_ids[i];
            kpi.code = d->kpis[k].code;
            kpi.role = d->kpis[k].role;
            kpi.target = d->kpis[k].target;
            kpi.target_relative = d->kpis[k].relative;
            kpi.baseline = NAN;
            kpi.baseline_period = d->benchmarking ? NULL : period;
            if ((rc = cr_store_campaign_kpi_upsert(ctx->st, &kpi)) < 0)
                return rc;
            ctx->sum.kpis++;
        }
    }
    return CR_OK;
}

/* ---- one creator's series ------------------------------------------------------------- */

/* Followers day by day, walked back from the planned final count so the tier holds. A
 * spiked creator gains 20-60% in one day from bought followers, who never engage: real[]
 * leaves them out, and engagement is computed from real[]. Returns the spike's day, or -1. */
static int gen_followers(demo_ctx *ctx, const creator_plan *c, cr_rng *r)
{
    double u = cr_rng_uniform(r), growth = -0.0005 + 0.0045 * u * u, jump = 0, bought = 0;
    int n = ctx->days, d, spike = -1;

    if (c->spiked) {
        spike = (int)cr_rng_range(r, n / 6, n - 1 - n / 6);
        jump = between(r, 0.20, 0.60);
    }
    ctx->followers[n - 1] = (double)c->followers;
    for (d = n - 1; d > 0; d--) {
        double prev = ctx->followers[d] / (1.0 + growth + 0.0008 * cr_rng_normal(r));
        if (d == spike)
            prev /= 1.0 + jump;
        ctx->followers[d - 1] = prev;
    }
    if (spike > 0)
        bought = ctx->followers[spike] * jump / (1.0 + jump);
    for (d = 0; d < n; d++) {
        double real = ctx->followers[d] - (spike > 0 && d >= spike ? bought : 0);
        ctx->real[d] = fmax(real, 0.3 * ctx->followers[d]);
    }
    return spike;
}

static int pick_format(int platform, cr_rng *r)
{
    double w[FMT_COUNT];
    int i;

    for (i = 0; i < FMT_COUNT; i++)
        w[i] = format_defs[i].platform == platform ? format_defs[i].share : 0;
    return pick_weighted(r, w, FMT_COUNT);
}

/* Posts on every day but the last (the series ends at its midnight), in time order. */
static void gen_schedule(demo_ctx *ctx, const creator_plan *c, cr_rng *r)
{
    double rate = between(r, posts_per_week[c->platform][0], posts_per_week[c->platform][1]) / 7;
    int d, k, j, today;
    int64_t tod[MAX_DAILY_POSTS], t;

    ctx->nposts = 0;
    for (d = 0; d < ctx->days - 1; d++) {
        today = (int)cr_rng_poisson(r, rate);
        if (today > MAX_DAILY_POSTS)
            today = MAX_DAILY_POSTS;
        for (k = 0; k < today; k++) {
            tod[k] = (int64_t)pick_weighted(r, hour_weights, 24) * 3600 + cr_rng_range(r, 0, 3599);
            for (j = k; j > 0 && tod[j - 1] > tod[j]; j--) {
                t = tod[j];
                tod[j] = tod[j - 1];
                tod[j - 1] = t;
            }
        }
        for (k = 0; k < today; k++) {
            post_plan *p = &ctx->posts[ctx->nposts++];
            p->posted_at = day_start(ctx, d) + tod[k];
            p->day = d;
            p->format = pick_format(c->platform, r);
            p->partner = -1;
        }
    }
}

/* Tie up to `links` of the creator's posts in each campaign period to its partnership
 * (selection sampling: each eligible post equally likely). Stories are not linked. */
static void link_partner_posts(demo_ctx *ctx, int ci, cr_rng *r)
{
    int j, k, eligible, left;

    for (j = 0; j < ctx->npartners; j++) {
        partner_plan *pp = &ctx->partners[j];
        int64_t from, until;

        if (pp->creator != ci)
            continue;
        from = campaign_start(ctx, pp->campaign);
        until = campaign_end(ctx, pp->campaign) + DAY;
        for (eligible = 0, k = 0; k < ctx->nposts; k++)
            eligible += ctx->posts[k].posted_at >= from && ctx->posts[k].posted_at < until &&
                        ctx->posts[k].partner < 0 && ctx->posts[k].format != FMT_IG_STORY;
        left = pp->links < eligible ? pp->links : eligible;
        for (k = 0; k < ctx->nposts && left > 0; k++) {
            post_plan *p = &ctx->posts[k];
            if (p->posted_at < from || p->posted_at >= until || p->partner >= 0 ||
                p->format == FMT_IG_STORY)
                continue;
            if (cr_rng_uniform(r) * eligible < left) {
                p->partner = j;
                left--;
            }
            eligible--;
        }
    }
}

static int partner_linked_posts(const demo_ctx *ctx, int j)
{
    int k, n = 0;

    for (k = 0; k < ctx->nposts; k++)
        n += ctx->posts[k].partner == j;
    return n;
}

/* "Running, fitness and food" */
static void niche_list(char *out, size_t size, unsigned int niches, int capital)
{
    int i, total = 0, seen = 0;
    size_t len = 0;

    for (i = 0; i < NICHE_COUNT; i++)
        total += (niches & BIT(i)) != 0;
    out[0] = '\0';
    for (i = 0; i < NICHE_COUNT && len < size; i++) {
        if (!(niches & BIT(i)))
            continue;
        seen++;
        len +=
            (size_t)snprintf(out + len, size - len, "%s%s",
                             seen == 1 ? "" : (seen == total ? " and " : ", "), niche_defs[i].name);
    }
    if (capital && out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static cr_err write_creator(demo_ctx *ctx,
                            const creator_plan *c,
                            int64_t following,
                            int64_t media_count,
                            cr_rng *r,
                            int64_t *out_id)
{
    const country_def *co = &country_defs[c->country];
    const char *city = co->cities[pick(r, 3)];
    const niche_def *topic = &niche_defs[random_niche_of(c->niches, r)];
    char name[64], email[64], niches[128], list[128], bio[256];
    double u = cr_rng_uniform(r);
    int i, len = 0;
    cr_creator cr;

    memset(&cr, 0, sizeof(cr));
    snprintf(name, sizeof(name), "%s %s", first_name(c)->display, last_name(c)->display);
    if (u < 0.75)
        snprintf(email, sizeof(email), "%s@example.com", c->handle);
    else if (u < 0.88)
        snprintf(email, sizeof(email), "%s.%s@example.org", first_name(c)->ascii,
                 last_name(c)->ascii);
    niches[0] = '\0';
    for (i = 0; i < NICHE_COUNT; i++)
        if (c->niches & BIT(i))
            len += snprintf(niches + len, sizeof(niches) - (size_t)len, "%s%s", len ? "," : "",
                            niche_defs[i].name);
    switch (pick(r, 3)) {
    case 0:
        niche_list(list, sizeof(list), c->niches, 1);
        snprintf(bio, sizeof(bio), "%s creator from %s sharing %s.", list, city, topic->phrase);
        break;
    case 1:
        niche_list(list, sizeof(list), c->niches, 0);
        snprintf(bio, sizeof(bio), "Based in %s, posting %s and all things %s.", city,
                 topic->phrase, list);
        break;
    default:
        niche_list(list, sizeof(list), c->niches, 0);
        snprintf(bio, sizeof(bio), "Your weekly dose of %s from %s, with %s.", list, city,
                 topic->phrase);
        break;
    }
    cr.platform = platform_names[c->platform];
    cr.handle = c->handle;
    cr.name = name;
    cr.email = u < 0.88 ? email : NULL;
    cr.country = co->code;
    cr.language = co->language;
    cr.niches = niches;
    cr.bio = bio;
    cr.followers = c->followers;
    cr.following = following;
    cr.media_count = media_count;
    cr.engagement_rate = NAN; /* crest computes ER itself */
    cr.updated_at = ctx->end_date;
    return cr_store_creator_upsert(out_id, ctx->st, &cr);
}

static cr_err write_snapshots(
    demo_ctx *ctx, int64_t creator_id, int64_t following, double drift, int64_t media_base)
{
    int d, k = 0;
    cr_err rc;

    for (d = 0; d < ctx->days; d++) {
        cr_snapshot s;

        memset(&s, 0, sizeof(s));
        s.creator_id = creator_id;
        s.date = day_start(ctx, d);
        while (k < ctx->nposts && ctx->posts[k].posted_at < s.date)
            k++;
        s.followers = (int64_t)llround(ctx->followers[d]);
        s.following = following - (int64_t)llround(drift * (ctx->days - 1 - d));
        if (s.following < 0)
            s.following = 0;
        s.media_count = media_base + k;
        if ((rc = cr_store_snapshot_upsert(ctx->st, &s)) < 0)
            return rc;
        ctx->sum.snapshots++;
    }
    return CR_OK;
}

static cr_err write_partnerships(demo_ctx *ctx, int ci, int64_t creator_id)
{
    int j;
    cr_err rc;

    for (j = 0; j < ctx->npartners; j++) {
        partner_plan *pp = &ctx->partners[j];
        const campaign_def *d = &campaign_defs[pp->campaign];
        cr_partnership p;

        if (pp->creator != ci)
            continue;
        memset(&p, 0, sizeof(p));
        p.campaign_id = ctx->campaign_ids[pp->campaign];
        p.creator_id = creator_id;
        p.fee_minor = pp->fee_minor;
        p.product_cost_minor = pp->product_cost_minor;
        p.currency = d->currency;
        if (campaign_end(ctx, pp->campaign) < ctx->end_date)
            p.status = "completed";
        else
            p.status = partner_linked_posts(ctx, j) > 0 ? "live" : "contracted";
        p.promo_code = pp->promo;
        p.utm_content = pp->utm;
        if ((rc = cr_store_partnership_upsert(&pp->id, ctx->st, &p)) < 0)
            return rc;
        ctx->sum.partnerships++;
    }
    return CR_OK;
}

/* ---- posts, metrics, comments --------------------------------------------------------- */

/* A post's 30-day totals. Reach is 20-60% of real followers with lognormal noise (TikTok's
 * feed now and then multiplies it); engagement is the creator's rate per follower on
 * Instagram and per view elsewhere; likes dominate the split. */
static void post_totals_gen(post_totals *t,
                            const creator_plan *c,
                            const format_def *f,
                            double real,
                            double er,
                            int sponsored,
                            cr_rng *r)
{
    double reach, imp, views = -1, eng, w[4], wsum;

    reach = real * between(r, 0.2, 0.6) * f->reach * cr_rng_lognormal(r, 0, 0.25);
    if (c->platform == PLAT_TT && cr_rng_uniform(r) < 0.04)
        reach *= between(r, 3, 12);
    reach = fmax(reach, 1);
    imp = reach * between(r, 1.1, 1.6);
    if (f->video)
        views = reach + (imp - reach) * between(r, 0.3, 1.0);
    if (c->platform == PLAT_IG)
        eng = er * real * f->er * cr_rng_lognormal(r, 0, 0.3);
    else
        eng = er * views * f->er * cr_rng_lognormal(r, 0, 0.25);
    if (sponsored)
        eng *= 0.85;
    eng = fmin(eng, 0.6 * reach);
    w[0] = between(r, 0.78, 0.90);
    w[1] = f == &format_defs[FMT_IG_STORY] ? 0 : between(r, 0.02, 0.06);
    w[2] = between(r, 0.02, 0.08);
    w[3] = c->platform == PLAT_YT ? 0 : between(r, 0.02, 0.08) * (f->er > 1.15 ? 2 : 1);
    wsum = w[0] + w[1] + w[2] + w[3];
    t->reach = (int64_t)llround(reach);
    t->impressions = (int64_t)llround(imp);
    if (t->impressions < t->reach)
        t->impressions = t->reach;
    t->views = CR_COUNT_NONE;
    t->watch = CR_COUNT_NONE;
    if (views >= 0) {
        t->views = (int64_t)llround(views);
        t->views = t->views < t->reach ? t->reach : t->views;
        t->views = t->views > t->impressions ? t->impressions : t->views;
        t->watch = (int64_t)llround(views * between(r, f->watch[0], f->watch[1]));
    }
    t->likes = (int64_t)llround(eng * w[0] / wsum);
    t->comments = (int64_t)llround(eng * w[1] / wsum);
    t->shares = (int64_t)llround(eng * w[2] / wsum);
    t->saves = w[3] > 0 ? (int64_t)llround(eng * w[3] / wsum) : CR_COUNT_NONE;
    t->clicks = (int64_t)llround(imp * between(r, 0.003, 0.015) * (sponsored ? 1.8 : 1.0));
    if (t->clicks > t->reach)
        t->clicks = t->reach;
}

static int64_t share_of(int64_t v, double f)
{
    return v < 0 ? CR_COUNT_NONE : (int64_t)floor((double)v * f);
}

/* Captures at day 1, 3, 7 and 30 that fall on or before the end date. Flooring the same
 * share of each total keeps every count monotone and reach <= views <= impressions. A
 * story lives 24 hours, so it has one capture holding everything. */
static cr_err
write_metrics(demo_ctx *ctx, int64_t post_id, const post_plan *p, const post_totals *t, cr_rng *r)
{
    double share[CAPTURES];
    int k, n = p->format == FMT_IG_STORY ? 1 : CAPTURES;
    cr_err rc;

    for (k = 0; k < CAPTURES; k++)
        share[k] = capture_share[k] + (k < CAPTURES - 1 ? between(r, -0.02, 0.02) : 0);
    if (n == 1)
        share[0] = 1.0;
    for (k = 0; k < n; k++) {
        cr_metric m;

        memset(&m, 0, sizeof(m));
        m.post_id = post_id;
        m.captured_at = p->posted_at + (int64_t)capture_days[k] * DAY;
        if (m.captured_at > ctx->end_date)
            break;
        m.impressions = share_of(t->impressions, share[k]);
        m.reach = share_of(t->reach, share[k]);
        m.views = share_of(t->views, share[k]);
        m.likes = share_of(t->likes, share[k]);
        m.comments = share_of(t->comments, share[k]);
        m.shares = share_of(t->shares, share[k]);
        m.saves = share_of(t->saves, share[k]);
        m.clicks = share_of(t->clicks, share[k]);
        m.watch_seconds = share_of(t->watch, share[k]);
        if ((rc = cr_store_metric_upsert(ctx->st, &m)) < 0)
            return rc;
        ctx->sum.metrics++;
    }
    return CR_OK;
}

enum { AUTHOR_PERSON, AUTHOR_BOT, AUTHOR_SPAM };

static void comment_author(char *out, size_t size, int kind, cr_rng *r)
{
    const name_pool *pool = &name_pools[pick(r, NELEM(name_pools))];
    const char *first = pool->first[pick(r, NELEM(pool->first))].ascii;
    const char *last = pool->last[pick(r, NELEM(pool->last))].ascii;
    const char *word = niche_defs[pick(r, NICHE_COUNT)].words[pick(r, 3)];

    if (kind == AUTHOR_SPAM) {
        snprintf(out, size, "%s%d", spam_authors[pick(r, NELEM(spam_authors))],
                 (int)cr_rng_range(r, 1, 999));
        return;
    }
    if (kind == AUTHOR_BOT) {
        snprintf(out, size, "%s_%s%04d", first, last, (int)cr_rng_range(r, 0, 9999));
        return;
    }
    switch (pick(r, 5)) {
    case 0:
        snprintf(out, size, "%s.%s", first, last);
        break;
    case 1:
        snprintf(out, size, "%s_%s", first, word);
        break;
    case 2:
        snprintf(out, size, "%s%s%02d", first, last, (int)cr_rng_range(r, 1, 99));
        break;
    case 3:
        snprintf(out, size, "the.real.%s", first);
        break;
    default:
        snprintf(out, size, "%s%c_%s", first, last[0], word);
        break;
    }
}

/* One comment: genuine (on topic or general), generic, or spam; a creator with bought
 * followers draws more of the last two, and bots among the authors. */
static const char *comment_pick(char *author, size_t size, const creator_plan *c, cr_rng *r)
{
    double genuine = c->spiked ? 0.25 : 0.62, generic = c->spiked ? 0.45 : 0.30;
    double u = cr_rng_uniform(r);
    const char *text;

    if (u < genuine) {
        const niche_def *nd = &niche_defs[random_niche_of(c->niches, r)];
        text = cr_rng_uniform(r) < 0.5 ? nd->comments[pick(r, 2)]
                                       : general_comments[pick(r, NELEM(general_comments))];
        comment_author(author, size, AUTHOR_PERSON, r);
    } else if (u < genuine + generic) {
        text = generic_comments[pick(r, NELEM(generic_comments))];
        comment_author(author, size,
                       c->spiked && cr_rng_uniform(r) < 0.6 ? AUTHOR_BOT : AUTHOR_PERSON, r);
    } else {
        text = spam_comments[pick(r, NELEM(spam_comments))];
        comment_author(author, size, AUTHOR_SPAM, r);
    }
    return text;
}

/* 2-8 comments on about 30% of posts (more on spiked creators), never more than the post's
 * comment count, in time order, each text at most once per post. */
static cr_err write_comments(demo_ctx *ctx,
                             const creator_plan *c,
                             int64_t post_id,
                             const post_plan *p,
                             uint64_t key,
                             const post_totals *t,
                             cr_rng *r)
{
    const char *texts[8];
    int64_t offs[8], tmp, room = ctx->end_date - p->posted_at;
    int n, k, j, again;
    cr_err rc;

    if (p->format == FMT_IG_STORY || cr_rng_uniform(r) >= (c->spiked ? 0.45 : 0.30))
        return CR_OK;
    n = (int)cr_rng_range(r, c->spiked ? 4 : 2, 8);
    if (n > t->comments)
        n = (int)t->comments;
    if (n < 2)
        return CR_OK;
    for (k = 0; k < n; k++) {
        offs[k] = (int64_t)cr_rng_lognormal(r, log(3.0 * 3600), 1.2);
        offs[k] = offs[k] < 60 ? 60 : offs[k] > 14 * DAY ? 14 * DAY : offs[k];
        offs[k] = offs[k] > room ? room : offs[k];
        for (j = k; j > 0 && offs[j - 1] > offs[j]; j--) {
            tmp = offs[j];
            offs[j] = offs[j - 1];
            offs[j - 1] = tmp;
        }
    }
    for (k = 0; k < n; k++) {
        char id[40], author[48], b64[12];
        uint64_t cid = mix64(((key << 4) | (uint64_t)k) ^ ctx->seed ^ 0x636f6d6dULL);
        cr_comment cm;

        for (again = 0; again < 4; again++) {
            texts[k] = comment_pick(author, sizeof(author), c, r);
            for (j = 0; j < k && texts[j] != texts[k]; j++)
                ;
            if (j == k)
                break;
        }
        memset(&cm, 0, sizeof(cm));
        if (c->platform == PLAT_YT) {
            b64_id(b64, cid);
            snprintf(id, sizeof(id), "Ugx%s", b64);
        } else {
            snprintf(id, sizeof(id), "%llu", (unsigned long long)cid);
        }
        cm.post_id = post_id;
        cm.external_id = id;
        cm.author = author;
        cm.text = texts[k];
        cm.posted_at = p->posted_at + offs[k];
        if ((rc = cr_store_comment_upsert(ctx->st, &cm)) < 0)
            return rc;
        ctx->sum.comments++;
    }
    return CR_OK;
}

/* External id and URL in each platform's shape; unique because the key is. */
static void post_ids(char *ext,
                     size_t ext_size,
                     char *url,
                     size_t url_size,
                     const demo_ctx *ctx,
                     const creator_plan *c,
                     const post_plan *p,
                     uint64_t key)
{
    uint64_t v = mix64(key ^ mix64(ctx->seed + (uint64_t)c->platform));
    unsigned long long num = (unsigned long long)v;
    char code[12];

    b64_id(code, v);
    switch (p->format) {
    case FMT_IG_REEL:
    case FMT_IG_CAROUSEL:
    case FMT_IG_IMAGE:
        snprintf(ext, ext_size, "ig_%llu", num);
        snprintf(url, url_size, "https://www.instagram.com/%s/%s/",
                 p->format == FMT_IG_REEL ? "reel" : "p", code);
        break;
    case FMT_IG_STORY:
        snprintf(ext, ext_size, "ig_%llu", num);
        snprintf(url, url_size, "https://www.instagram.com/stories/%s/%llu/", c->handle, num);
        break;
    case FMT_TT_VIDEO:
        snprintf(ext, ext_size, "tt_%llu", num);
        snprintf(url, url_size, "https://www.tiktok.com/@%s/video/%llu", c->handle, num);
        break;
    default:
        snprintf(ext, ext_size, "yt_%s", code);
        if (p->format == FMT_YT_SHORT)
            snprintf(url, url_size, "https://www.youtube.com/shorts/%s", code);
        else
            snprintf(url, url_size, "https://www.youtube.com/watch?v=%s", code);
        break;
    }
}

/* A line from one of the creator's niches plus its hashtags. A partnership post pitches
 * the brand instead, with the promo code, the #ad disclosure and a niche that fits. */
static void post_caption(
    char *out, size_t size, demo_ctx *ctx, const creator_plan *c, const post_plan *p, cr_rng *r)
{
    partner_plan *pp = p->partner >= 0 ? &ctx->partners[p->partner] : NULL;
    const campaign_def *d = pp != NULL ? &campaign_defs[pp->campaign] : NULL;
    unsigned int fit = d != NULL && (c->niches & d->niches) ? c->niches & d->niches : c->niches;
    const niche_def *nd = &niche_defs[random_niche_of(fit, r)];

    if (d == NULL)
        snprintf(out, size, "%s %s", nd->captions[pick(r, 3)], nd->hashtags);
    else
        snprintf(out, size, "%s Code %s for %d%% off at @%s. #ad #%s %s",
                 d->pitch[(p->partner + pp->written++) % 3], pp->promo, d->discount, d->brand_tag,
                 d->brand_tag, nd->hashtags);
}

static cr_err write_posts(demo_ctx *ctx, int ci, int64_t creator_id, double er, cr_rng *r)
{
    const creator_plan *c = &ctx->creators[ci];
    char ext[40], url[160], caption[512];
    int k;
    cr_err rc;

    for (k = 0; k < ctx->nposts; k++) {
        const post_plan *p = &ctx->posts[k];
        const format_def *f = &format_defs[p->format];
        const partner_plan *pp = p->partner >= 0 ? &ctx->partners[p->partner] : NULL;
        uint64_t key = ((uint64_t)ci << 20) | (uint64_t)k;
        post_totals t;
        cr_post post;

        post_ids(ext, sizeof(ext), url, sizeof(url), ctx, c, p, key);
        post_caption(caption, sizeof(caption), ctx, c, p, r);
        memset(&post, 0, sizeof(post));
        post.creator_id = creator_id;
        post.partnership_id = pp != NULL ? pp->id : 0;
        post.platform = platform_names[c->platform];
        post.external_id = ext;
        post.url = url;
        post.format = f->name;
        post.caption = p->format == FMT_IG_STORY ? NULL : caption;
        post.utm_content = pp != NULL ? pp->utm : NULL;
        post.posted_at = p->posted_at;
        if ((rc = cr_store_post_upsert(&post.id, ctx->st, &post)) < 0)
            return rc;
        ctx->sum.posts++;
        post_totals_gen(&t, c, f, ctx->real[p->day], er, pp != NULL, r);
        if ((rc = write_metrics(ctx, post.id, p, &t, r)) < 0 ||
            (rc = write_comments(ctx, c, post.id, p, key, &t, r)) < 0)
            return rc;
    }
    return CR_OK;
}

/* Everything about one creator, from its own rng stream. */
/* A plausible audience (docs/discovery.md): mostly the creator's own country plus two or three
 * others, younger on TikTok, a gender split that leans with the niche mix. Its own random
 * stream, so that the rest of the demo is the same with or without it. */
static cr_err write_audience(demo_ctx *ctx, const creator_plan *c, int ci, int64_t id)
{
    static const char *const bands[] = { "13-17", "18-24", "25-34", "35-44", "45+" };
    static const double band_mean[PLAT_COUNT][5] = { { 0.04, 0.30, 0.36, 0.18, 0.12 },
                                                     { 0.14, 0.42, 0.26, 0.11, 0.07 },
                                                     { 0.06, 0.26, 0.32, 0.20, 0.16 } };
    char countries[160], ages[160], genders[64];
    double home, rest, w[5], sum = 0, female;
    int others[3], nothers = 2 + (int)(ci % 2), k, len;
    cr_creator_profile p;
    cr_rng r;

    cr_rng_seed(&r, mix64(ctx->seed ^ (0x617564696e636541ULL + (uint64_t)ci)));
    home = between(&r, 0.35, 0.75);
    rest = (1 - home) * between(&r, 0.6, 0.9);
    len = snprintf(countries, sizeof(countries), "%s:%.3f", country_defs[c->country].code, home);
    for (k = 0; k < nothers; k++) {
        int o, j, dup;
        do {
            o = pick(&r, (int)NELEM(country_defs));
            dup = o == c->country;
            for (j = 0; j < k; j++)
                dup |= others[j] == o;
        } while (dup);
        others[k] = o;
        len += snprintf(countries + len, sizeof(countries) - (size_t)len, ";%s:%.3f",
                        country_defs[o].code, rest / (k + 2));
    }
    for (k = 0; k < 5; k++) {
        w[k] = band_mean[c->platform][k] * between(&r, 0.6, 1.4);
        sum += w[k];
    }
    len = 0;
    for (k = 0; k < 5; k++)
        len += snprintf(ages + len, sizeof(ages) - (size_t)len, "%s%s:%.3f", k ? ";" : "", bands[k],
                        w[k] / sum * 0.999);
    female = between(&r, 0.3, 0.75);
    if (c->niches & (BIT(N_FASHION) | BIT(N_BEAUTY)))
        female = between(&r, 0.6, 0.85);
    snprintf(genders, sizeof(genders), "female:%.3f;male:%.3f", female, (1 - female) * 0.97);
    cr_creator_profile_init(&p);
    p.countries = countries;
    p.ages = ages;
    p.genders = genders;
    p.opted_out = cr_rng_uniform(&r) < 0.03;
    return cr_store_creator_profile_set(ctx->st, id, &p);
}

static cr_err write_creator_all(demo_ctx *ctx, int ci, const cr_demo_options *opts)
{
    static const double media_median[PLAT_COUNT] = { 600, 250, 180 };
    const creator_plan *c = &ctx->creators[ci];
    const tier_def *t = &tier_defs[c->tier];
    double er, drift;
    int64_t following, media_base, id;
    int spike;
    cr_rng r;
    cr_err rc;

    cr_rng_seed(&r, mix64(ctx->seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(ci + 1)));
    spike = gen_followers(ctx, c, &r);
    gen_schedule(ctx, c, &r);
    link_partner_posts(ctx, ci, &r);
    er = between(&r, t->er[c->platform][0], t->er[c->platform][1]);
    following = (int64_t)log_between(&r, t->following[0], t->following[1]);
    drift = between(&r, -0.3, 0.8);
    media_base = 20 + (int64_t)cr_rng_lognormal(&r, log(media_median[c->platform]), 0.7);
    if ((rc = write_creator(ctx, c, following, media_base + ctx->nposts, &r, &id)) < 0 ||
        (rc = write_audience(ctx, c, ci, id)) < 0 ||
        (rc = write_snapshots(ctx, id, following, drift, media_base)) < 0 ||
        (rc = write_partnerships(ctx, ci, id)) < 0 || (rc = write_posts(ctx, ci, id, er, &r)) < 0)
        return rc;
    /* the snapshots hold the rounded counts: report those */
    if (spike > 0 && opts != NULL && opts->version >= 2 && opts->spike != NULL)
        opts->spike(platform_names[c->platform], c->handle, day_start(ctx, spike),
                    (int64_t)llround(ctx->followers[spike - 1]),
                    (int64_t)llround(ctx->followers[spike]), opts->spike_payload);
    ctx->sum.creators++;
    ctx->sum.spiked_creators += c->spiked;
    ctx->sum.by_platform[c->platform]++;
    ctx->sum.by_tier[c->tier]++;
    return CR_OK;
}

/* ---- what the links and codes bring ---------------------------------------------------- */

/* Competitors named in the mention counts, two per brand, for share of voice. */
static const char *const competitors[][2] = {
    { "Stridewell", "Peak Pace" },        { "Dewdrop Labs", "Clearly Skin" },
    { "Wayfarer Trips", "Citybreak Co" }, { "Pennywise", "Budgetly" },
    { "Good Bowl", "Tailwag Foods" },
};

/* Web sessions, leads and orders through each partner's tracking link and code, and daily
 * brand and competitor mentions. Links and codes stay live before a campaign ("evergreen",
 * at a quarter of the campaign rate) for HISTORY_DAYS, so every brand has the history that
 * baselines and the SMART check's achievability judgement read; during the campaign and
 * LATE_DAYS after it the rate is full, tapering off. All in the demo's one transaction. */
#define HISTORY_DAYS 270
#define LATE_DAYS    14

static cr_err write_partner_traffic(demo_ctx *ctx, const partner_plan *p, cr_rng *r)
{
    const campaign_def *d = &campaign_defs[p->campaign];
    const creator_plan *c = &ctx->creators[p->creator];
    int64_t start = campaign_start(ctx, p->campaign), end = campaign_end(ctx, p->campaign);
    int64_t from = start - (int64_t)HISTORY_DAYS * DAY, t;
    double base = c->followers / 2500.0;
    int goal_leads = strcmp(d->goal, "leads") == 0, goal_sales = strcmp(d->goal, "sales") == 0;
    int64_t seq = 0;
    cr_err rc;

    if (base < 4)
        base = 4;
    if (base > 900)
        base = 900;
    for (t = from; t <= end + (int64_t)LATE_DAYS * DAY && t <= ctx->end_date; t += DAY) {
        double rate = t < start  ? 0.25
                      : t <= end ? 1.0
                                 : 0.6 * (1.0 - (double)(t - end) / (LATE_DAYS * DAY));
        int64_t sessions = cr_rng_poisson(r, base * rate * between(r, 0.6, 1.4)), k;
        cr_web_session w;
        char ext[64];

        if (sessions <= 0)
            continue;
        memset(&w, 0, sizeof(w));
        w.date = t;
        w.utm_source = platform_names[c->platform];
        w.utm_medium = "influencer";
        w.utm_campaign = d->brand_tag;
        w.utm_content = p->utm;
        w.sessions = sessions;
        w.engaged_sessions = (int64_t)llround(sessions * between(r, 0.45, 0.72));
        w.duration_seconds = (int64_t)llround(sessions * between(r, 55, 140));
        w.conversions = CR_COUNT_NONE;
        if ((rc = cr_store_web_session_upsert(ctx->st, &w)) < 0)
            return rc;
        ctx->sum.web_sessions++;
        if (goal_leads) {
            int64_t leads = cr_rng_poisson(r, sessions * between(r, 0.05, 0.11));
            for (k = 0; k < leads; k++) {
                cr_lead l;
                memset(&l, 0, sizeof(l));
                snprintf(ext, sizeof(ext), "L-%s-%lld", p->utm, (long long)++seq);
                l.external_id = ext;
                l.created_at = t + cr_rng_range(r, 8 * 3600, 23 * 3600);
                l.utm_source = w.utm_source;
                l.utm_medium = w.utm_medium;
                l.utm_campaign = w.utm_campaign;
                l.utm_content = p->utm;
                l.qualified = cr_rng_uniform(r) < 0.34;
                if ((rc = cr_store_lead_upsert(ctx->st, &l)) < 0)
                    return rc;
                ctx->sum.leads++;
            }
        }
        if (goal_sales) {
            int64_t orders = cr_rng_poisson(r, sessions * between(r, 0.015, 0.035));
            for (k = 0; k < orders; k++) {
                cr_order o;
                int by_code = cr_rng_uniform(r) < 0.7;
                memset(&o, 0, sizeof(o));
                snprintf(ext, sizeof(ext), "#%s-%lld", p->promo, (long long)++seq);
                o.external_id = ext;
                o.created_at = t + cr_rng_range(r, 7 * 3600, 23 * 3600);
                o.total_minor = (int64_t)llround(cr_rng_lognormal(r, log(72.0), 0.35) * 100);
                o.currency = d->currency;
                o.discount_code = by_code ? p->promo : NULL;
                o.landing_utm_content = by_code ? NULL : p->utm;
                if ((rc = cr_store_order_upsert(ctx->st, &o)) < 0)
                    return rc;
                ctx->sum.orders++;
            }
        }
    }
    return CR_OK;
}

static cr_err write_mentions(demo_ctx *ctx, int i, cr_rng *r)
{
    static const char *const sources[] = { "instagram", "tiktok", "news" };
    const campaign_def *d = &campaign_defs[i];
    int64_t start = campaign_start(ctx, i), end = campaign_end(ctx, i), t;
    int s, k;
    cr_err rc;

    for (t = ctx->end_date - (int64_t)(HISTORY_DAYS + ctx->days) * DAY; t <= ctx->end_date;
         t += DAY) {
        for (s = 0; s < NELEM(sources); s++) {
            for (k = 0; k < 3; k++) {
                const char *brand = k == 0 ? d->brand : competitors[i][k - 1];
                double lambda = (k == 0 ? 4.0 : k == 1 ? 6.0 : 3.0) * (s == 2 ? 0.3 : 1.0);
                cr_mention m;
                if (k == 0 && t >= start && t <= end)
                    lambda *= 2.2; /* the campaign gets the brand talked about */
                memset(&m, 0, sizeof(m));
                m.date = t;
                m.source = sources[s];
                m.brand = brand;
                m.count = cr_rng_poisson(r, lambda);
                if (m.count == 0)
                    continue;
                if ((rc = cr_store_mention_upsert(ctx->st, &m)) < 0)
                    return rc;
                ctx->sum.mentions++;
            }
        }
    }
    return CR_OK;
}

static cr_err write_commerce(demo_ctx *ctx)
{
    cr_rng r;
    int i;
    cr_err rc;

    cr_rng_seed(&r, mix64(ctx->seed ^ 0x636f6d6d65726365ULL));
    for (i = 0; i < ctx->npartners; i++)
        if ((rc = write_partner_traffic(ctx, &ctx->partners[i], &r)) < 0)
            return rc;
    for (i = 0; i < CAMPAIGN_COUNT; i++)
        if ((rc = write_mentions(ctx, i, &r)) < 0)
            return rc;
    return CR_OK;
}

/* ---- entry point ---------------------------------------------------------------------- */

static cr_err demo_ctx_init(demo_ctx *ctx, cr_store *st, const cr_demo_options *opts)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->st = st;
    ctx->seed = opts != NULL && opts->seed != 0 ? opts->seed : DEFAULT_SEED;
    ctx->ncreators = opts != NULL && opts->creators > 0 ? opts->creators : DEFAULT_CREATOR;
    ctx->days = opts != NULL && opts->days > 0 ? opts->days : DEFAULT_DAYS;
    ctx->end_date = opts != NULL && opts->end_date != 0
                        ? opts->end_date - ((opts->end_date % DAY) + DAY) % DAY
                        : cr_days_from_civil(2026, 11, 15) * DAY;
    if (opts != NULL && (opts->version < 1 || opts->version > CR_DEMO_OPTIONS_VERSION))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE, "demo options version %u not supported",
                            opts->version);
    if (ctx->ncreators > MAX_CREATORS || ctx->days > MAX_DAYS)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE,
                            "demo size out of range: at most %d creators and %d days", MAX_CREATORS,
                            MAX_DAYS);
    ctx->first_day = ctx->end_date - (int64_t)(ctx->days - 1) * DAY;
    ctx->creators = cr_calloc((size_t)ctx->ncreators, sizeof(*ctx->creators));
    ctx->followers = cr_calloc((size_t)ctx->days, sizeof(double));
    ctx->real = cr_calloc((size_t)ctx->days, sizeof(double));
    ctx->posts = cr_calloc((size_t)ctx->days * MAX_DAILY_POSTS, sizeof(*ctx->posts));
    if (ctx->creators == NULL || ctx->followers == NULL || ctx->real == NULL || ctx->posts == NULL)
        return cr_error_oom();
    return CR_OK;
}

static void demo_ctx_dispose(demo_ctx *ctx)
{
    cr_free(ctx->creators);
    cr_free(ctx->followers);
    cr_free(ctx->real);
    cr_free(ctx->posts);
}

cr_err cr_demo_generate(cr_demo_summary *out, cr_store *st, const cr_demo_options *opts)
{
    demo_ctx ctx;
    int i, in_tx = 0;
    cr_err rc;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if ((rc = demo_ctx_init(&ctx, st, opts)) < 0 || (rc = plan_creators(&ctx)) < 0 ||
        (rc = plan_campaigns(&ctx)) < 0 || (rc = cr_store_begin(st)) < 0)
        goto done;
    in_tx = 1;
    if ((rc = write_campaigns(&ctx)) < 0)
        goto done;
    for (i = 0; i < ctx.ncreators; i++) {
        if ((rc = write_creator_all(&ctx, i, opts)) < 0)
            goto done;
        if (opts != NULL && opts->progress != NULL)
            opts->progress(i + 1, ctx.ncreators, opts->progress_payload);
    }
    /* outreach adds prospect partnerships: before the refreshes that read partnerships */
    if ((rc = write_commerce(&ctx)) < 0 || (rc = cr_demo__outreach(st, ctx.end_date)) < 0 ||
        (rc = cr_store_track_refresh(st, 1)) < 0 || (rc = cr_store_discover_refresh(st, 1)) < 0 ||
        (rc = cr_review_demo(&ctx.sum.review_cycles, &ctx.sum.brand_reviews, st, ctx.seed)) < 0 ||
        (rc = cr_demo__program(st, ctx.seed, ctx.end_date)) < 0 || (rc = cr_store_commit(st)) < 0)
        goto done;
    in_tx = 0;
    if (out != NULL)
        *out = ctx.sum;
done:
    if (in_tx)
        cr_store_rollback(st);
    demo_ctx_dispose(&ctx);
    return rc;
}
