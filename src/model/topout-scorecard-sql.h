/* topout-scorecard-sql.h — the competition scorecard rule (SPEC §2), as the
 * one SQL statement the app's store and topout-server both derive their
 * scorecard rows with, each from its own tables.
 *
 * One row per (competition pair, climber, climb) from the competition routes
 * of sessions that were not cancelled, in logging order (ties in the logging
 * time broken by insertion order): attempts (the sum), topped (any success),
 * attempts to top (the sum up to and including the first top) and the time
 * of the first top.
 *
 * @ROUTES is the routes table (aliased p; its columns competition_type,
 * competition_id, climb_id, attempts, is_success, is_competition), @TIME the
 * logging time of a route (p.… or s.… columns), @PERSON who the row is of
 * (an expression of s.… and of the columns @JOIN brings, or s.climber_id),
 * and @FILTER more of the WHERE clause ("AND …", or ""); the sessions table
 * is s (id, climber_id, status).
 */
#pragma once

/* The table, with @PERSON_COLUMN the name of its person column (the app's
 * climber_id) and @PERSON_REF and @CLIMB_REF after that and the climb_id
 * column ("" or " REFERENCES …"). */
#define TOPOUT_SCORECARD_TABLE_SQL(PERSON_COLUMN, PERSON_REF, CLIMB_REF) \
  "CREATE TABLE scorecards (" \
  "  competition_type TEXT NOT NULL," \
  "  competition_id TEXT NOT NULL," \
  "  " PERSON_COLUMN " TEXT NOT NULL" PERSON_REF "," \
  "  climb_id TEXT NOT NULL" CLIMB_REF "," \
  "  attempts INTEGER NOT NULL," \
  "  topped INTEGER NOT NULL," \
  "  attempts_to_top INTEGER," \
  "  first_top_at INTEGER," \
  "  PRIMARY KEY (competition_type, competition_id, " PERSON_COLUMN ", climb_id)" \
  ") WITHOUT ROWID;"

/* The rows themselves, a SELECT whose columns are named as the table's
 * (@PERSON_COLUMN for the person): also read as a subquery, for a ranking
 * that leaves some sessions out (an import under way). */
#define TOPOUT_SCORECARD_ROWS_SQL(ROUTES, TIME, PERSON_COLUMN, PERSON, JOIN, FILTER) \
  "WITH c AS (" \
  "  SELECT p.competition_type AS ct, p.competition_id AS ci, " PERSON " AS cl," \
  "         p.climb_id AS cb, p.attempts AS a, p.is_success AS ok, " TIME " AS t," \
  "         row_number () OVER (PARTITION BY p.competition_type, p.competition_id, " PERSON ", p.climb_id" \
  "                             ORDER BY " TIME ", p.rowid) AS seq" \
  "  FROM " ROUTES " p JOIN sessions s ON s.id = p.session_id " JOIN \
  "  WHERE p.is_competition = 1 AND s.status != 'CANCELLED' AND s.climber_id IS NOT NULL" \
  "    AND p.competition_type IS NOT NULL AND p.competition_id IS NOT NULL " FILTER \
  "), f AS (" \
  "  SELECT ct, ci, cl, cb, min (seq) AS fs FROM c WHERE ok GROUP BY ct, ci, cl, cb" \
  ") " \
  "SELECT c.ct AS competition_type, c.ci AS competition_id, c.cl AS " PERSON_COLUMN ", c.cb AS climb_id," \
  "       sum (c.a) AS attempts, max (c.ok) AS topped," \
  "       sum (CASE WHEN c.seq <= f.fs THEN c.a END) AS attempts_to_top," \
  "       max (CASE WHEN c.seq = f.fs THEN c.t END) AS first_top_at " \
  "FROM c LEFT JOIN f USING (ct, ci, cl, cb) GROUP BY c.ct, c.ci, c.cl, c.cb"

#define TOPOUT_SCORECARD_INSERT_SQL(ROUTES, TIME, PERSON_COLUMN, PERSON, JOIN, FILTER) \
  "INSERT INTO scorecards (competition_type, competition_id, " PERSON_COLUMN ", climb_id," \
  "                        attempts, topped, attempts_to_top, first_top_at) " \
  TOPOUT_SCORECARD_ROWS_SQL (ROUTES, TIME, PERSON_COLUMN, PERSON, JOIN, FILTER)

/* The filter of one (pair, person): ?1 type, ?2 id, ?3 the @PERSON. */
#define TOPOUT_SCORECARD_ONE_FILTER(PERSON) \
  "AND p.competition_type = ?1 AND p.competition_id = ?2 AND " PERSON " = ?3"
