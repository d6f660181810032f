/**
 * @module History records (guacamole-ext `ActivityRecord`, `ConnectionRecord`, `ActivityLog`,
 * `ActivityRecordSet`) and the in-memory SimpleActivityRecordSet.
 */
import type { TranslatableMessage } from './fields.js';
import type { MaybePromise } from './types.js';

/** Log types an activity record may carry (`ActivityLog.Type`). */
export const ActivityLogType = Object.freeze({
  GUACAMOLE_SESSION_RECORDING: 'GUACAMOLE_SESSION_RECORDING',
  SERVER_LOG: 'SERVER_LOG',
  TYPESCRIPT: 'TYPESCRIPT',
  TYPESCRIPT_TIMING: 'TYPESCRIPT_TIMING',
} as const);

/** One activity log type name. */
export type ActivityLogType = (typeof ActivityLogType)[keyof typeof ActivityLogType];

/** A log attached to a record, such as a session recording (`ActivityLog`). */
export interface ActivityLog {
  /** What kind of log it is; decides the content type served. */
  readonly type: ActivityLogType;
  /** A human-readable description. */
  readonly description: TranslatableMessage;
  /** Its size in bytes, or -1 when unknown. */
  readonly size: number;
  /** @returns the log's bytes */
  getContent(): MaybePromise<Uint8Array | AsyncIterable<Uint8Array>>;
}

/** One login or session (`ActivityRecord`). */
export interface ActivityRecord {
  /** When it started. */
  readonly startDate: Date;
  /** When it ended, or undefined while active. */
  readonly endDate: Date | undefined;
  /** The client's address, or undefined. */
  readonly remoteHost: string | undefined;
  /** The user it belongs to. */
  readonly username: string;
  /** Whether it is still going on. */
  readonly active: boolean;
  /** The record's identifier, or undefined (REST defaults it to the UUID). */
  readonly identifier: string | undefined;
  /** A unique ID, or undefined. */
  readonly uuid: string | undefined;
  /** @returns attached logs by name */
  getLogs(): Readonly<Record<string, ActivityLog>>;
  /** @returns arbitrary attributes */
  getAttributes(): Readonly<Record<string, string | null>>;
}

/** A record of one use of a connection (`ConnectionRecord`). */
export interface ConnectionRecord extends ActivityRecord {
  /** The connection used, or undefined if it has since been deleted. */
  readonly connectionIdentifier: string | undefined;
  /** The connection's name at the time. */
  readonly connectionName: string;
  /** The sharing profile used to join, if any. */
  readonly sharingProfileIdentifier: string | undefined;
  /** That profile's name at the time, if any. */
  readonly sharingProfileName: string | undefined;
}

/** Properties records can be sorted by (`ActivityRecordSet.SortableProperty`). */
export type SortableProperty = 'START_DATE';

/** A lazily refined set of records (`ActivityRecordSet`). */
export interface ActivityRecordSet<R extends ActivityRecord> {
  /** @returns the records after every refinement */
  asCollection(): MaybePromise<readonly R[]>;
  /**
   * @param identifier a record identifier
   * @returns that record, or undefined
   */
  get(identifier: string): MaybePromise<R | undefined>;
  /**
   * @param value text that must appear in a record (username, host, connection name…)
   * @returns a refined set
   */
  contains(value: string): ActivityRecordSet<R>;
  /**
   * @param limit the most records wanted
   * @returns a refined set
   */
  limit(limit: number): ActivityRecordSet<R>;
  /**
   * @param property the sort key
   * @param descending newest first when true
   * @returns a refined set
   */
  sort(property: SortableProperty, descending: boolean): ActivityRecordSet<R>;
}

/**
 * An in-memory record set; empty by default (`SimpleActivityRecordSet`).
 * @example
 * ```ts
 * const history = new SimpleActivityRecordSet<ConnectionRecord>(records).sort('START_DATE', true);
 * ```
 */
export class SimpleActivityRecordSet<R extends ActivityRecord> implements ActivityRecordSet<R> {
  readonly #records: readonly R[];

  /** @param records the records; default none */
  constructor(records: readonly R[] = []) {
    this.#records = [...records];
  }

  asCollection(): readonly R[] {
    return this.#records;
  }

  get(identifier: string): R | undefined {
    return this.#records.find((record) => (record.identifier ?? record.uuid) === identifier);
  }

  contains(value: string): SimpleActivityRecordSet<R> {
    const needle = value.toLowerCase();
    const matches = (text: string | undefined): boolean =>
      text?.toLowerCase().includes(needle) ?? false;
    return new SimpleActivityRecordSet(
      this.#records.filter(
        (record) =>
          matches(record.username) ||
          matches(record.remoteHost) ||
          ('connectionName' in record && matches(String(record.connectionName))),
      ),
    );
  }

  limit(limit: number): SimpleActivityRecordSet<R> {
    return new SimpleActivityRecordSet(this.#records.slice(0, Math.max(0, limit)));
  }

  sort(_property: SortableProperty, descending: boolean): SimpleActivityRecordSet<R> {
    const sign = descending ? -1 : 1;
    return new SimpleActivityRecordSet(
      [...this.#records].sort((a, b) => sign * (a.startDate.getTime() - b.startDate.getTime())),
    );
  }
}
