// Id patterns for everything the proxy puts into an upstream URL. A user id may contain dots
// (Bookbag's own pattern), but one made of dots only (`.`, `..`) is a path segment the URL
// parser resolves, so `/users/../conversations` would read the agent-wide list.

/** Bookbag's userId pattern (`^[a-zA-Z0-9._-]{1,128}$`) minus the dot-only ids. */
export const USER_ID = /^(?!\.+$)[a-zA-Z0-9._-]{1,128}$/;
/** Conversation ids are integers (sent as digit strings). */
export const CONVERSATION_ID = /^\d{1,20}$/;
/** Message ids (`msg_789`, or the bare number), never dot-only. */
export const MESSAGE_ID = /^(?!\.+$)[A-Za-z0-9._-]{1,128}$/;

export const isUserId = (v: unknown): v is string => typeof v === 'string' && USER_ID.test(v);
