/**
 * What each (frame, coder) may hold after a crash, kept by the clients of the crash-safety run:
 * the last acknowledged save exactly, or what a save still in flight when the server died wrote
 * (it may or may not have committed). One client saves for one coder, one call at a time, so the
 * saves of a (frame, coder) are ordered.
 */
export type Codes = Record<string, string>;

export const sameCodes = (a: Codes | null, b: Codes | null): boolean =>
  JSON.stringify(a && Object.entries(a).sort()) === JSON.stringify(b && Object.entries(b).sort());

interface Entry {
  /** The last acknowledged save's codes, or what the last check found; null: nothing. */
  known: Codes | null;
  /** Saves sent after `known` whose answer never came. */
  inFlight: Codes[];
}

export interface Reconciled {
  /** Pairs whose acknowledged codes are gone (neither them nor a save in flight). */
  lost: { frameId: string; coderId: string; found: Codes | null; acknowledged: Codes | null }[];
  /** Saves whose answer never came. */
  inFlight: number;
  /** ...of which the database holds the codes. */
  inFlightCommitted: number;
}

export class SaveLedger {
  private readonly entries = new Map<string, Entry>();

  private entry(frameId: string, coderId: string): Entry {
    const key = `${frameId}\u0000${coderId}`;
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { known: null, inFlight: [] }));
    return entry;
  }

  /** Before the call: from now on these codes may be in the database. */
  sent(frameId: string, coderId: string, codes: Codes): void {
    this.entry(frameId, coderId).inFlight.push(codes);
  }

  /** The server answered ok: committed, and nothing sent before it can still land. */
  acknowledged(frameId: string, coderId: string, codes: Codes): void {
    const entry = this.entry(frameId, coderId);
    entry.known = codes;
    entry.inFlight = [];
  }

  /** The server refused the save (an error envelope): it wrote nothing. */
  refused(frameId: string, coderId: string, codes: Codes): void {
    const entry = this.entry(frameId, coderId);
    entry.inFlight = entry.inFlight.filter((c) => c !== codes);
  }

  /**
   * After a kill, with no server running: compares what the database holds (`found`, null when
   * nothing) for every pair, then takes it as the new known state (nothing is in flight any more).
   */
  reconcile(pairs: { frameId: string; coderId: string; found: Codes | null }[]): Reconciled {
    const out: Reconciled = { lost: [], inFlight: 0, inFlightCommitted: 0 };
    for (const { frameId, coderId, found } of pairs) {
      const entry = this.entry(frameId, coderId);
      const fromInFlight = !sameCodes(found, entry.known) && entry.inFlight.some((codes) => sameCodes(codes, found));
      if (!sameCodes(found, entry.known) && !fromInFlight) out.lost.push({ frameId, coderId, found, acknowledged: entry.known });
      out.inFlight += entry.inFlight.length;
      if (fromInFlight) out.inFlightCommitted++;
      entry.known = found;
      entry.inFlight = [];
    }
    return out;
  }
}
