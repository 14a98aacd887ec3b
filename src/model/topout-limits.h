/* topout-limits.h — the one limits table of SPEC section 4.
 *
 * The store, the sync codec and topout-server all check values against these
 * numbers; change them here only, and only with a new contract version.
 * Lengths count Unicode characters (g_utf8_strlen), not bytes.
 */
#pragma once

#define TOPOUT_LIMIT_SESSIONS_PER_REQUEST   500
#define TOPOUT_LIMIT_ROUTES_PER_SESSION     500
#define TOPOUT_LIMIT_BODY_BYTES             (8 * 1024 * 1024)

#define TOPOUT_LIMIT_NAME_MIN               1     /* name, customLabel, climber displayName */
#define TOPOUT_LIMIT_NAME_MAX               120
#define TOPOUT_LIMIT_NOTES_MAX              4000  /* session and route notes; 0 allowed */
#define TOPOUT_LIMIT_KEY_MIN                1     /* competitionType, competitionId, climbId, grade, memberCode */
#define TOPOUT_LIMIT_KEY_MAX                64

#define TOPOUT_LIMIT_ATTEMPTS_MIN           1
#define TOPOUT_LIMIT_ATTEMPTS_MAX           999
#define TOPOUT_LIMIT_REVISION_MIN           1

/* Client-side batching of the sync engine (issue: sync), kept beside the limits
 * they must stay under. */
#define TOPOUT_SYNC_BATCH_SESSIONS          200
#define TOPOUT_SYNC_BATCH_BYTES             (1024 * 1024)

/* Product rules of SPEC section 3 (the defaults of the GSettings keys). */
#define TOPOUT_MAX_SESSIONS_PER_DAY_MIN     1
#define TOPOUT_MAX_SESSIONS_PER_DAY_MAX     3
#define TOPOUT_FUTURE_DATE_TOLERANCE_DAYS   1
