// Lookups by names a user writes — slot names, config keys, roles, providers, annotation keys. A plain
// object answers `constructor`, `toString` or `__proto__` from Object.prototype (a function, so NaN
// tokens), and assigning `__proto__` replaces the prototype instead of storing a value. Every lookup of
// a user-controlled name in the engine goes through `own`, and every store through `setOwn` (or a Map).

/** `record[key]` when `key` is the record's own property; undefined for Object.prototype's members. */
export function own<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record != null && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` as an own property, `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
