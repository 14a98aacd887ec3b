/* topout-sync-codec.h — the JSON codec of the sync contract v1 (SPEC section 4).
 *
 * Shared by the client (src/sync) and topout-server. No I/O at all: every
 * function works on memory only, so it can be tested and fuzzed alone.
 *
 * Field names, statuses and error codes are the contract's, exactly; every
 * value is checked against topout-limits.h. Lengths count Unicode characters.
 *
 * Decisions the contract leaves open, taken here once for both sides:
 * - more than TOPOUT_LIMIT_SESSIONS_PER_REQUEST sessions in one request is a
 *   whole-request TOPOUT_WIRE_ERROR_TOO_LARGE (the server answers 413, so a
 *   client halves the batch as it does for any 413);
 * - times are RFC 3339 with a 'T', seconds, optional fraction and a 'Z' or a
 *   numeric offset; they are sent in UTC with whole seconds
 *   ("2026-11-21T17:02:11Z"); sessionDate is "YYYY-MM-DD";
 * - statuses on the wire are COMPLETED and CANCELLED (ACTIVE sessions never
 *   sync: invalid_status); endTime may be null only for CANCELLED;
 * - customLabel is null unless type is CUSTOM (otherwise invalid_shape);
 *   userId, when climber.id is present, must equal it (invalid_shape);
 * - optional keys may be absent (read as null / false / ""): deviceId,
 *   customLabel, endTime, timeSlot, isRetroactive, isAtGym, isCompetition,
 *   competitionType, competitionId, notes; in a route grade, notes, loggedAt,
 *   isCompetition, competitionType, competitionId. Unknown keys are ignored;
 * - a session holding a value json-glib 1.6 reads other than written (an
 *   integer beyond 64 bits, an escaped NUL: TopoutJsonMisread) is rejected
 *   as invalid_json, with the rest of its request going on; a response
 *   holding one is unreadable as a whole (INVALID_JSON).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "topout-climber.h"
#include "topout-completion.h"
#include "topout-session.h"

G_BEGIN_DECLS

/* The strict pre-scan's nesting limit for bodies of the contract (a request
 * nests 5 deep; anything far beyond that is an attack, not a session). */
#define TOPOUT_SYNC_MAX_JSON_DEPTH 64

/* Error codes of the contract, a closed list. Also the codes of the
 * TOPOUT_WIRE_ERROR domain (whole-request failures of the decoders). */
typedef enum {
  TOPOUT_WIRE_ERROR_INVALID_JSON,
  TOPOUT_WIRE_ERROR_INVALID_SHAPE,
  TOPOUT_WIRE_ERROR_MISSING_FIELD,
  TOPOUT_WIRE_ERROR_INVALID_TYPE,
  TOPOUT_WIRE_ERROR_INVALID_STATUS,
  TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT,
  TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS,
  TOPOUT_WIRE_ERROR_TOO_LONG,
  TOPOUT_WIRE_ERROR_END_BEFORE_START,
  TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING,
  TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES,
  TOPOUT_WIRE_ERROR_FOREIGN_CLIENT_ID,
  TOPOUT_WIRE_ERROR_TOO_LARGE,
} TopoutWireError;

#define TOPOUT_WIRE_ERROR (topout_wire_error_quark ())
GQuark      topout_wire_error_quark       (void);

/* "invalid_json", … */
const char *topout_wire_error_to_code     (TopoutWireError  error);
/* FALSE for an unknown or NULL code; *out untouched then. */
gboolean    topout_wire_error_from_code   (const char      *code,
                                           TopoutWireError *out);
/* A translated sentence for the user ("The number of attempts must be …"). */
const char *topout_wire_error_get_message (TopoutWireError  error);

/* Item status of a result. UNKNOWN: a status string this client does not know
 * (the engine marks nothing for it). */
typedef enum {
  TOPOUT_WIRE_STATUS_CREATED,
  TOPOUT_WIRE_STATUS_UPDATED,
  TOPOUT_WIRE_STATUS_UNCHANGED,
  TOPOUT_WIRE_STATUS_CONFLICT,
  TOPOUT_WIRE_STATUS_REJECTED,
  TOPOUT_WIRE_STATUS_ERROR,
  TOPOUT_WIRE_STATUS_UNKNOWN,
} TopoutWireStatus;

/* "created", …; NULL for UNKNOWN. */
const char      *topout_wire_status_to_string   (TopoutWireStatus  status);
/* UNKNOWN for anything else, NULL included. */
TopoutWireStatus topout_wire_status_from_string (const char       *string);

/* Encoding (client) ------------------------------------------------------ */

/* One session object of the contract. @session must have its completions
 * loaded (topout_session_get_completions; NULL is sent as "routes": []).
 * @climber may be NULL: userId and climber then come from the session's
 * climber-id and climber-name (memberCode null). */
JsonNode *topout_sync_encode_session (TopoutSession *session,
                                      TopoutClimber *climber,
                                      const char    *device_id);

/* The same object as compact JSON text on one line (exports write one per line). */
char     *topout_sync_encode_session_text (TopoutSession *session,
                                           TopoutClimber *climber,
                                           const char    *device_id);

/* "2026-11-21T17:02:11Z" and its NUL. */
#define TOPOUT_SYNC_TIME_TEXT_SIZE 21

/* µs since the epoch → the wire's time, whole seconds UTC, in @text; FALSE
 * when GDateTime cannot hold it. */
gboolean  topout_sync_format_time (gint64 usec,
                                   char   text[TOPOUT_SYNC_TIME_TEXT_SIZE]);

/* Encodes many sessions one after the other, faster than
 * topout_sync_encode_session_text(): the JSON tree of the previous session
 * is reused (same text, byte for byte). Not thread-safe; one per thread. */
typedef struct _TopoutSessionEncoder TopoutSessionEncoder;

TopoutSessionEncoder *topout_session_encoder_new    (const char           *device_id);
void                  topout_session_encoder_free   (TopoutSessionEncoder *encoder);
/* Appends the session's compact JSON text (no newline) to @out. */
void                  topout_session_encoder_append (TopoutSessionEncoder *encoder,
                                                     TopoutSession        *session,
                                                     TopoutClimber        *climber,
                                                     GString              *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutSessionEncoder, topout_session_encoder_free)

/* The whole request body {"sessions":[…]}; @sessions of TopoutSession* with
 * completions loaded, @climbers maps climber id → TopoutClimber* (nullable,
 * entries may be missing). Each session is built and written on its own. */
GBytes   *topout_sync_encode_request (GPtrArray     *sessions,
                                      GHashTable    *climbers,
                                      const char    *device_id);

/* Decoding a request (server) --------------------------------------------- */

typedef struct {
  char            *client_id;     /* NULL when missing or not a string */
  TopoutSession   *session;       /* NULL when rejected; completions set */
  TopoutClimber   *climber;       /* NULL when rejected */
  char            *device_id;     /* nullable */
  gint64           revision;      /* 0 when rejected before it was read */
  gboolean         rejected;
  TopoutWireError  error;         /* meaningful only when rejected */
  char            *error_detail;  /* untranslated, names the field ("routes[3].attempts") */
} TopoutWireItem;

void topout_wire_item_free (TopoutWireItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutWireItem, topout_wire_item_free)

/* Whole-request failure (NULL + error in TOPOUT_WIRE_ERROR): INVALID_JSON (not
 * strict JSON: 400), INVALID_SHAPE (top level is not {"sessions":[…]} or an
 * element is not an object: 400), TOO_LARGE (more sessions than the limit or
 * @len over the body limit: 413). Otherwise one TopoutWireItem per session, in
 * order (free func set), each validated on its own. */
GPtrArray *topout_sync_decode_request (const char  *body,
                                       gsize        len,
                                       GError     **error);

/* The same in steps, for a server that starts storing the first sessions
 * while the rest are still being decoded: parse and check the whole body
 * (the same whole-request failures), then decode item @i (0 ≤ i < n). The
 * request holds the parsed tree until freed. */
typedef struct _TopoutWireRequest TopoutWireRequest;
TopoutWireRequest *topout_sync_request_parse       (const char         *body,
                                                    gsize               len,
                                                    GError            **error);
guint              topout_sync_request_get_n_items (TopoutWireRequest  *request);
TopoutWireItem    *topout_sync_request_decode_item (TopoutWireRequest  *request,
                                                    guint               i);
void               topout_wire_request_free        (TopoutWireRequest  *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutWireRequest, topout_wire_request_free)

/* One session object of the contract (clientId required), validated as in a
 * bulk request: a line of a session export. Whole-text failure as for a
 * request (INVALID_JSON, INVALID_SHAPE when it is not an object). */
TopoutWireItem *topout_sync_decode_session (const char  *body,
                                            gsize        len,
                                            GError     **error);

/* POST /sessions/offline: one session object. With a "clientId" it is the
 * contract's session, validated as in a bulk request. Without one it is the
 * seeds' bare shape {startTime, endTime, notes, routes:[{climbId, isSuccess,
 * attempts}]}: the item then has client_id NULL, a session with id NULL,
 * type FUN, status COMPLETED, revision 1, the date and slot taken from
 * startTime in the local time of the process decoding it (a gym's server
 * runs in the gym's zone), a generated name, and routes checked against the same
 * limits. Whole-body failure as for a request (INVALID_JSON, INVALID_SHAPE). */
TopoutWireItem *topout_sync_decode_offline (const char  *body,
                                            gsize        len,
                                            GError     **error);

/* Results ---------------------------------------------------------------- */

typedef struct {
  char             *client_id;
  TopoutWireStatus  status;
  char             *session_id;     /* all but rejected/error */
  gint64            revision;       /* all but rejected/error; 0 otherwise */
  char             *error_code;     /* rejected/error: a contract code, or as received */
  char             *error_message;  /* rejected/error */
} TopoutWireResult;

TopoutWireResult *topout_wire_result_new  (void);
void              topout_wire_result_free (TopoutWireResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutWireResult, topout_wire_result_free)

/* Server: {"results":[…]} from TopoutWireResult*, in the array's order. */
GBytes    *topout_sync_encode_results (GPtrArray   *results);

/* Client: the results of a response, in order (free func set). Whole-body
 * failure (not strict JSON, no "results" array): NULL + TOPOUT_WIRE_ERROR
 * INVALID_JSON or INVALID_SHAPE. Entries that are not objects or carry no
 * string clientId are skipped (logged with g_debug); an unknown status string
 * gives TOPOUT_WIRE_STATUS_UNKNOWN. The codec only parses: matching by
 * clientId is the engine's job. */
GPtrArray *topout_sync_decode_results (const char  *body,
                                       gsize        len,
                                       GError     **error);

/* Client: whether a whole-request answer's body is the contract's error
 * {"error": {"code": …, "message": …}} with a code of the closed list (*@code
 * set then). What a Topout server sends with a 400 or a 413; a proxy's or
 * another web service's page is not. */
gboolean   topout_sync_decode_error   (const char       *body,
                                       gsize             len,
                                       TopoutWireError  *code);

/* Content hash ----------------------------------------------------------- */

/* The content hash of a session as it travels: SHA-256 over every wire
 * field of the session, its climber and its routes (in order), without
 * revision and deviceId, as "c2:" and 64 hex digits. A decoded item and the
 * session it was encoded from give the same hash. */
#define TOPOUT_SYNC_CONTENT_HASH_PREFIX "c2:"
char *topout_sync_content_hash      (TopoutSession  *session,
                                     TopoutClimber  *climber);
/* Whether @item has the content a stored hash was made from; a stored hash
 * without the prefix is the older form (SHA-256 of the canonical JSON). */
gboolean topout_sync_content_hash_matches (TopoutWireItem *item,
                                           const char     *stored);
char *topout_sync_content_hash_item (TopoutWireItem *item);

G_END_DECLS
