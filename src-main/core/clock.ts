/** ISO-8601 UTC timestamp: the one time format stored in the database and sent over the API. */
export function nowIso(): string {
  return new Date().toISOString();
}
