/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * migrations.c - numbered SQLite migrations. Never edit a migration that has shipped: add
 * the next number. The PostgreSQL backend keeps the same numbers and the same tables.
 *
 * Every top-level table carries workspace_id so that one database can later hold several
 * brands and be sharded by workspace; child tables reach it through their parent. Times are
 * unix seconds (INTEGER), money is minor units (INTEGER) with an ISO 4217 code. */
#include "store/sqlite/migrations.h"

static const char m0001_core[] =
    "CREATE TABLE workspace ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL);"
    "INSERT INTO workspace (id, name, created_at) VALUES (1, 'default', CAST(strftime('%s','now') "
    "AS INTEGER));"

    "CREATE TABLE import ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  kind TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL,"
    "  finished_at INTEGER);"
    "CREATE INDEX import_by_sha ON import (workspace_id, kind, sha256);"

    "CREATE TABLE creator ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  platform TEXT NOT NULL,"
    "  handle TEXT NOT NULL,"
    "  name TEXT, email TEXT, country TEXT, language TEXT, niches TEXT,"
    "  followers INTEGER CHECK (followers >= 0),"
    "  following INTEGER CHECK (following >= 0),"
    "  media_count INTEGER CHECK (media_count >= 0),"
    "  engagement_rate REAL CHECK (engagement_rate BETWEEN 0 AND 1),"
    "  bio TEXT,"
    "  audience TEXT,"  /* JSON: country/age/gender shares */
    "  rate_card TEXT," /* JSON */
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (workspace_id, platform, handle));"
    "CREATE INDEX creator_by_followers ON creator (workspace_id, followers);"

    "CREATE TABLE creator_snapshot ("
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  date INTEGER NOT NULL,"
    "  followers INTEGER NOT NULL CHECK (followers >= 0),"
    "  following INTEGER, media_count INTEGER,"
    "  PRIMARY KEY (creator_id, date)) WITHOUT ROWID;"

    "CREATE TABLE campaign ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  name TEXT NOT NULL,"
    "  brand TEXT,"
    "  start_date INTEGER, end_date INTEGER,"
    "  budget_minor INTEGER, currency TEXT,"
    "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','completed')),"
    "  primary_goal TEXT NOT NULL CHECK (primary_goal IN "
    "    ('awareness','engagement','traffic','leads','sales')),"
    "  secondary_goal TEXT CHECK (secondary_goal IN "
    "    ('awareness','engagement','traffic','leads','sales')),"
    "  objective TEXT,"
    "  benchmarking INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  UNIQUE (workspace_id, name));"

    "CREATE TABLE campaign_kpi ("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  code TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('primary','contextual')),"
    "  target REAL, target_relative INTEGER NOT NULL DEFAULT 0,"
    "  baseline REAL, baseline_period TEXT,"
    "  PRIMARY KEY (campaign_id, code)) WITHOUT ROWID;"

    "CREATE TABLE partnership ("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id),"
    "  fee_minor INTEGER NOT NULL DEFAULT 0, product_cost_minor INTEGER NOT NULL DEFAULT 0,"
    "  currency TEXT,"
    "  status TEXT NOT NULL DEFAULT 'prospect',"
    "  promo_code TEXT, utm_content TEXT,"
    "  UNIQUE (campaign_id, creator_id));"
    "CREATE INDEX partnership_by_promo ON partnership (promo_code);"
    "CREATE INDEX partnership_by_utm ON partnership (utm_content);"

    "CREATE TABLE post ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  partnership_id INTEGER REFERENCES partnership(id) ON DELETE SET NULL,"
    "  platform TEXT NOT NULL,"
    "  external_id TEXT NOT NULL,"
    "  url TEXT,"
    "  posted_at INTEGER NOT NULL,"
    "  format TEXT, caption TEXT, utm_content TEXT,"
    "  import_id INTEGER,"
    "  UNIQUE (workspace_id, platform, external_id));"
    "CREATE INDEX post_by_creator ON post (creator_id, posted_at);"
    "CREATE INDEX post_by_utm ON post (utm_content);"

    /* One row per capture; the latest per post is the post's value. Keyed by (post, time)
     * in a WITHOUT ROWID table, so the key is the table and imports in time order append. */
    "CREATE TABLE post_metric ("
    "  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,"
    "  captured_at INTEGER NOT NULL,"
    "  impressions INTEGER, reach INTEGER, views INTEGER, likes INTEGER, comments INTEGER,"
    "  shares INTEGER, saves INTEGER, clicks INTEGER, watch_seconds INTEGER,"
    "  import_id INTEGER,"
    "  PRIMARY KEY (post_id, captured_at)) WITHOUT ROWID;"

    "CREATE TABLE comment ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,"
    "  external_id TEXT NOT NULL,"
    "  author TEXT, text TEXT, posted_at INTEGER,"
    "  import_id INTEGER,"
    "  UNIQUE (post_id, external_id));"

    "CREATE TABLE web_session ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  date INTEGER NOT NULL,"
    "  utm_source TEXT NOT NULL DEFAULT '', utm_medium TEXT NOT NULL DEFAULT '',"
    "  utm_campaign TEXT NOT NULL DEFAULT '', utm_content TEXT NOT NULL DEFAULT '',"
    "  sessions INTEGER NOT NULL DEFAULT 0, engaged_sessions INTEGER,"
    "  duration_seconds INTEGER, conversions INTEGER,"
    "  import_id INTEGER,"
    "  UNIQUE (workspace_id, date, utm_source, utm_medium, utm_campaign, utm_content));"

    "CREATE TABLE shop_order ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  external_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  total_minor INTEGER NOT NULL, currency TEXT NOT NULL,"
    "  discount_code TEXT, landing_utm_content TEXT,"
    "  import_id INTEGER,"
    "  UNIQUE (workspace_id, external_id));"

    "CREATE TABLE lead ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  external_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  utm_source TEXT, utm_medium TEXT, utm_campaign TEXT, utm_content TEXT,"
    "  qualified INTEGER NOT NULL DEFAULT 0,"
    "  import_id INTEGER,"
    "  UNIQUE (workspace_id, external_id));"

    "CREATE TABLE mention ("
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  date INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  brand TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  import_id INTEGER,"
    "  PRIMARY KEY (workspace_id, date, source, brand)) WITHOUT ROWID;";

/* When a campaign's results are judged (late conversions arrive after the end). */
static const char m0002_evaluation[] = "ALTER TABLE campaign ADD COLUMN evaluation_date INTEGER;";

/* Accounts of `crest serve`. A session row keeps only the SHA-256 of its token (hex), so a
 * copy of the database does not let anyone in; password_hash is libsodium's argon2id string. */
static const char m0003_accounts[] =
    "CREATE TABLE app_user ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  email TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin','manager','analyst','reviewer','creator')),"
    "  password_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (workspace_id, email));"

    "CREATE TABLE app_session ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX app_session_by_user ON app_session (user_id);"
    "CREATE INDEX app_session_by_expiry ON app_session (expires_at);";

/* Performance tracking (issue 4). Attribution settings per campaign; each session, lead and
 * order points at one post and/or partnership, with the method ("utm", "code",
 * "landing_utm") or the reason it has none; post_rollup holds each post's latest metrics and
 * attributed sums, metric_day the latest snapshot per post and day: both derived, kept up to
 * date by cr_store_track_refresh() so that reports never scan post_metric. setting holds
 * workspace settings (rate cards, tier schemes, thresholds) as text. */
static const char m0004_tracking[] =
    "ALTER TABLE import ADD COLUMN newest_data INTEGER;"
    "ALTER TABLE campaign ADD COLUMN attribution_window_days INTEGER NOT NULL DEFAULT 30;"
    "ALTER TABLE campaign ADD COLUMN emv_credit TEXT NOT NULL DEFAULT 'full';"
    "ALTER TABLE web_session ADD COLUMN post_id INTEGER REFERENCES post(id) ON DELETE SET NULL;"
    "ALTER TABLE web_session ADD COLUMN partnership_id INTEGER"
    "  REFERENCES partnership(id) ON DELETE SET NULL;"
    "ALTER TABLE web_session ADD COLUMN attribution TEXT;"
    "ALTER TABLE web_session ADD COLUMN unattributed TEXT;"
    "ALTER TABLE lead ADD COLUMN post_id INTEGER REFERENCES post(id) ON DELETE SET NULL;"
    "ALTER TABLE lead ADD COLUMN partnership_id INTEGER"
    "  REFERENCES partnership(id) ON DELETE SET NULL;"
    "ALTER TABLE lead ADD COLUMN attribution TEXT;"
    "ALTER TABLE lead ADD COLUMN unattributed TEXT;"
    "ALTER TABLE shop_order ADD COLUMN post_id INTEGER REFERENCES post(id) ON DELETE SET NULL;"
    "ALTER TABLE shop_order ADD COLUMN partnership_id INTEGER"
    "  REFERENCES partnership(id) ON DELETE SET NULL;"
    "ALTER TABLE shop_order ADD COLUMN attribution TEXT;"
    "ALTER TABLE shop_order ADD COLUMN unattributed TEXT;"
    "CREATE INDEX web_session_by_post ON web_session (post_id);"
    /* covering: a campaign's attributed units and sums read the index alone */
    "CREATE INDEX web_session_by_partnership ON web_session (partnership_id, date,"
    "  attribution, post_id, sessions, engaged_sessions, duration_seconds);"
    "CREATE INDEX web_session_unattributed ON web_session (attribution, date);"
    "CREATE INDEX web_session_by_utm ON web_session (utm_content);"
    "CREATE INDEX lead_by_post ON lead (post_id);"
    "CREATE INDEX lead_by_partnership ON lead (partnership_id, created_at, attribution,"
    "  post_id, qualified);"
    "CREATE INDEX lead_unattributed ON lead (attribution, created_at);"
    "CREATE INDEX lead_by_utm ON lead (utm_content);"
    "CREATE INDEX post_by_partnership ON post (partnership_id);"
    "CREATE INDEX shop_order_by_post ON shop_order (post_id);"
    "CREATE INDEX shop_order_by_partnership ON shop_order (partnership_id, created_at,"
    "  attribution, post_id, total_minor);"
    "CREATE INDEX shop_order_unattributed ON shop_order (attribution, created_at);"
    "CREATE INDEX partnership_by_code ON partnership (upper(promo_code));"
    "CREATE INDEX partnership_by_creator ON partnership (creator_id);"

    "CREATE TABLE post_rollup ("
    "  post_id INTEGER PRIMARY KEY REFERENCES post(id) ON DELETE CASCADE,"
    "  partnership_id INTEGER REFERENCES partnership(id) ON DELETE SET NULL,"
    "  captured_at INTEGER, import_id INTEGER,"
    "  impressions INTEGER, reach INTEGER, views INTEGER, likes INTEGER, comments INTEGER,"
    "  shares INTEGER, saves INTEGER, clicks INTEGER, watch_seconds INTEGER,"
    "  sessions INTEGER NOT NULL DEFAULT 0, engaged_sessions INTEGER NOT NULL DEFAULT 0,"
    "  session_seconds INTEGER NOT NULL DEFAULT 0,"
    "  leads INTEGER NOT NULL DEFAULT 0, qualified_leads INTEGER NOT NULL DEFAULT 0,"
    "  orders INTEGER NOT NULL DEFAULT 0, revenue_minor INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX post_rollup_by_partnership ON post_rollup (partnership_id);"

    "CREATE TABLE metric_day ("
    "  post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,"
    "  date INTEGER NOT NULL,"
    "  captured_at INTEGER NOT NULL,"
    "  impressions INTEGER, reach INTEGER, views INTEGER, likes INTEGER, comments INTEGER,"
    "  shares INTEGER, saves INTEGER, clicks INTEGER, watch_seconds INTEGER,"
    "  PRIMARY KEY (post_id, date)) WITHOUT ROWID;"

    "CREATE TABLE setting ("
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  key TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (workspace_id, key)) WITHOUT ROWID;"
    /* stores with data get their rollups at the next open (cr_store_open) */
    "INSERT INTO setting (workspace_id, key, value, updated_at)"
    "  SELECT 1, 'track.refresh', 'migration 4', 0 WHERE EXISTS (SELECT 1 FROM post);";

/* Discovery (issue 6). Opt-out, fee and audience quality on the creator; audience shares one
 * row per dimension and key (filters use the index); the search text of each creator (bio,
 * niches and recent captions, normalized by src/discover/vec.c) in creator_doc, indexed by the
 * external-content FTS5 table creator_fts that triggers keep in step; discover_term counts
 * the creators whose text holds each word (the IDF of ranking and lookalikes; "" counts the
 * texts). Triggers queue creators whose bio or posts change in discover_dirty; the index
 * catches up at the next cr_store_discover_refresh() (an import's, or a search's). The
 * triggers test for the row instead of INSERT OR IGNORE: inside an UPSERT (the backend's
 * writes) the outer statement's conflict handling would override the trigger's.
 * creator_perf holds per-creator sums of the post rollups, rebuilt by the same refresh. */
static const char m0005_discover[] =
    "ALTER TABLE creator ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE creator ADD COLUMN fee_minor INTEGER CHECK (fee_minor >= 0);"
    "ALTER TABLE creator ADD COLUMN fee_currency TEXT;"
    "ALTER TABLE creator ADD COLUMN audience_quality REAL;"

    "CREATE TABLE creator_audience ("
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  dim TEXT NOT NULL CHECK (dim IN ('country','age','gender')),"
    "  key TEXT NOT NULL,"
    "  share REAL NOT NULL CHECK (share BETWEEN 0 AND 1),"
    "  PRIMARY KEY (creator_id, dim, key)) WITHOUT ROWID;"
    "CREATE INDEX creator_audience_by_share ON creator_audience (dim, key, share);"

    "CREATE TABLE creator_doc ("
    "  creator_id INTEGER PRIMARY KEY REFERENCES creator(id) ON DELETE CASCADE,"
    "  doc TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE VIRTUAL TABLE creator_fts USING fts5(doc, content='creator_doc',"
    "  content_rowid='creator_id', tokenize='unicode61 remove_diacritics 0');"
    "CREATE TRIGGER creator_doc_ai AFTER INSERT ON creator_doc BEGIN"
    "  INSERT INTO creator_fts (rowid, doc) VALUES (new.creator_id, new.doc); END;"
    "CREATE TRIGGER creator_doc_ad AFTER DELETE ON creator_doc BEGIN"
    "  INSERT INTO creator_fts (creator_fts, rowid, doc) VALUES ('delete', old.creator_id, "
    "old.doc);"
    "  END;"
    "CREATE TRIGGER creator_doc_au AFTER UPDATE OF doc ON creator_doc BEGIN"
    "  INSERT INTO creator_fts (creator_fts, rowid, doc) VALUES ('delete', old.creator_id, "
    "old.doc);"
    "  INSERT INTO creator_fts (rowid, doc) VALUES (new.creator_id, new.doc); END;"

    "CREATE TABLE discover_term (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE discover_dirty (creator_id INTEGER PRIMARY KEY);"
    "CREATE TRIGGER creator_dirty_ai AFTER INSERT ON creator BEGIN"
    "  INSERT INTO discover_dirty (creator_id) SELECT new.id"
    "  WHERE NOT EXISTS (SELECT 1 FROM discover_dirty WHERE creator_id = new.id); END;"
    "CREATE TRIGGER creator_dirty_au AFTER UPDATE OF bio, niches ON creator"
    "  WHEN new.bio IS NOT old.bio OR new.niches IS NOT old.niches BEGIN"
    "  INSERT INTO discover_dirty (creator_id) SELECT new.id"
    "  WHERE NOT EXISTS (SELECT 1 FROM discover_dirty WHERE creator_id = new.id); END;"
    "CREATE TRIGGER post_dirty_ai AFTER INSERT ON post BEGIN"
    "  INSERT INTO discover_dirty (creator_id) SELECT new.creator_id"
    "  WHERE NOT EXISTS (SELECT 1 FROM discover_dirty WHERE creator_id = new.creator_id); END;"
    "CREATE TRIGGER post_dirty_au AFTER UPDATE OF caption, posted_at ON post"
    "  WHEN new.caption IS NOT old.caption OR new.posted_at IS NOT old.posted_at BEGIN"
    "  INSERT INTO discover_dirty (creator_id) SELECT new.creator_id"
    "  WHERE NOT EXISTS (SELECT 1 FROM discover_dirty WHERE creator_id = new.creator_id); END;"
    "INSERT INTO discover_dirty (creator_id) SELECT id FROM creator;"

    "CREATE TABLE creator_perf ("
    "  creator_id INTEGER PRIMARY KEY REFERENCES creator(id) ON DELETE CASCADE,"
    "  posts INTEGER NOT NULL, reach_posts INTEGER NOT NULL, reach INTEGER NOT NULL,"
    "  eng_reach INTEGER NOT NULL, eng_posts INTEGER NOT NULL, engagements INTEGER NOT NULL,"
    "  click_posts INTEGER NOT NULL, clicks INTEGER NOT NULL,"
    "  click_impressions INTEGER NOT NULL, sessions INTEGER NOT NULL, leads INTEGER NOT NULL,"
    "  orders INTEGER NOT NULL, revenue_minor INTEGER NOT NULL);"

    "CREATE TABLE saved_search ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  name TEXT NOT NULL,"
    "  query TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  run_at INTEGER NOT NULL DEFAULT 0,"
    "  result_count INTEGER NOT NULL DEFAULT 0,"
    "  new_count INTEGER NOT NULL DEFAULT 0,"
    "  result_ids TEXT NOT NULL DEFAULT '',"
    "  seen_ids TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (workspace_id, name));";

/* Partner reviews (issue 8). Rubrics are versioned documents (the text as given, YAML or
 * JSON); a cycle names its rubric version; review_partner holds the partners of a cycle and
 * their release state; brand reviews are final once submitted (one per reviewer per partner
 * per cycle) with one score row per criterion; the creator's self-assessment and reciprocal
 * feedback are one row each per partner per cycle. Growth plans link back to the review that
 * created them; their milestones may carry an incentive. Debrief notes and playbook entries
 * are searchable through the external-content FTS5 table review_note_fts. review_account
 * links a creator account (app_user) to its creator. */
static const char m0006_reviews[] =
    "CREATE TABLE review_rubric ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (workspace_id, name, version));"

    "CREATE TABLE review_cycle ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('quarterly','monthly','midcycle','debrief')),"
    "  period_start INTEGER NOT NULL,"
    "  period_end INTEGER NOT NULL,"
    "  campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL,"
    "  rubric_name TEXT NOT NULL,"
    "  rubric_version INTEGER NOT NULL,"
    "  lead TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (workspace_id, name));"

    "CREATE TABLE review_partner ("
    "  cycle_id INTEGER NOT NULL REFERENCES review_cycle(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  released_at INTEGER,"
    "  released_by TEXT,"
    "  PRIMARY KEY (cycle_id, creator_id)) WITHOUT ROWID;"

    "CREATE TABLE brand_review ("
    "  id INTEGER PRIMARY KEY,"
    "  cycle_id INTEGER NOT NULL REFERENCES review_cycle(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  reviewer TEXT NOT NULL,"
    "  summary TEXT,"
    "  potential INTEGER CHECK (potential BETWEEN 1 AND 3),"
    "  submitted_at INTEGER NOT NULL,"
    "  UNIQUE (cycle_id, creator_id, reviewer));"

    "CREATE TABLE review_score ("
    "  review_id INTEGER NOT NULL REFERENCES brand_review(id) ON DELETE CASCADE,"
    "  criterion TEXT NOT NULL,"
    "  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
    "  evidence TEXT,"
    "  post_ids TEXT,"
    "  CHECK (score > 2 OR (evidence IS NOT NULL AND length(evidence) > 0)),"
    "  PRIMARY KEY (review_id, criterion)) WITHOUT ROWID;"

    "CREATE TABLE self_assessment ("
    "  cycle_id INTEGER NOT NULL REFERENCES review_cycle(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  strengths TEXT NOT NULL,"
    "  growth_areas TEXT NOT NULL,"
    "  plan TEXT NOT NULL,"
    "  submitted_at INTEGER NOT NULL,"
    "  PRIMARY KEY (cycle_id, creator_id)) WITHOUT ROWID;"

    "CREATE TABLE review_feedback ("
    "  cycle_id INTEGER NOT NULL REFERENCES review_cycle(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  brief_clarity INTEGER NOT NULL CHECK (brief_clarity BETWEEN 1 AND 5),"
    "  feedback_timeliness INTEGER NOT NULL CHECK (feedback_timeliness BETWEEN 1 AND 5),"
    "  payment_punctuality INTEGER NOT NULL CHECK (payment_punctuality BETWEEN 1 AND 5),"
    "  creative_freedom INTEGER NOT NULL CHECK (creative_freedom BETWEEN 1 AND 5),"
    "  comment TEXT,"
    "  submitted_at INTEGER NOT NULL,"
    "  PRIMARY KEY (cycle_id, creator_id)) WITHOUT ROWID;"

    "CREATE TABLE growth_plan ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE,"
    "  cycle_id INTEGER REFERENCES review_cycle(id) ON DELETE SET NULL,"
    "  review_id INTEGER REFERENCES brand_review(id) ON DELETE SET NULL,"
    "  title TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"

    "CREATE TABLE growth_milestone ("
    "  id INTEGER PRIMARY KEY,"
    "  plan_id INTEGER NOT NULL REFERENCES growth_plan(id) ON DELETE CASCADE,"
    "  metric TEXT NOT NULL,"
    "  target REAL NOT NULL,"
    "  due_date INTEGER NOT NULL,"
    "  owner TEXT NOT NULL CHECK (owner IN ('creator','brand')),"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','met','missed')),"
    "  actual REAL,"
    "  met_at INTEGER,"
    "  incentive TEXT,"
    "  incentive_minor INTEGER CHECK (incentive_minor >= 0),"
    "  incentive_currency TEXT);"
    "CREATE INDEX growth_milestone_by_plan ON growth_milestone (plan_id);"

    "CREATE TABLE review_note ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspace(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('debrief','playbook')),"
    "  creator_id INTEGER REFERENCES creator(id) ON DELETE SET NULL,"
    "  campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL,"
    "  title TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  post_ids TEXT,"
    "  created_at INTEGER NOT NULL);"
    "CREATE VIRTUAL TABLE review_note_fts USING fts5(title, body, content='review_note',"
    "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER review_note_ai AFTER INSERT ON review_note BEGIN"
    "  INSERT INTO review_note_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
    "  END;"
    "CREATE TRIGGER review_note_ad AFTER DELETE ON review_note BEGIN"
    "  INSERT INTO review_note_fts (review_note_fts, rowid, title, body)"
    "  VALUES ('delete', old.id, old.title, old.body); END;"
    "CREATE TRIGGER review_note_au AFTER UPDATE ON review_note BEGIN"
    "  INSERT INTO review_note_fts (review_note_fts, rowid, title, body)"
    "  VALUES ('delete', old.id, old.title, old.body);"
    "  INSERT INTO review_note_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
    "  END;"

    "CREATE TABLE review_account ("
    "  user_id INTEGER PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,"
    "  creator_id INTEGER NOT NULL REFERENCES creator(id) ON DELETE CASCADE);";

const cr_sqlite_migration cr_sqlite_migrations[] = {
    { 1, "core tables", m0001_core },
    { 2, "campaign evaluation date", m0002_evaluation },
    { 3, "accounts and sessions", m0003_accounts },
    { 4, "performance tracking", m0004_tracking },
    { 5, "discovery", m0005_discover },
    { 6, "reviews", m0006_reviews },
};

const int cr_sqlite_migration_count =
    (int)(sizeof(cr_sqlite_migrations) / sizeof(cr_sqlite_migrations[0]));
