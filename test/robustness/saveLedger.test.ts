/** The crash-safety run's ledger: a lost acknowledged save is reported; a save in flight at a kill may land or not. */
import { describe, expect, it } from 'vitest';
import { SaveLedger } from '../../bench/robustness/saveLedger';

const A = { pov: '1st person', distance: 'Social' };
const B = { pov: 'no person', distance: 'Public' };

describe('save ledger', () => {
  it('an acknowledged save that the database no longer holds is lost', () => {
    const ledger = new SaveLedger();
    ledger.sent('f1', 'c1', A);
    ledger.acknowledged('f1', 'c1', A);
    const result = ledger.reconcile([{ frameId: 'f1', coderId: 'c1', found: null }]);
    expect(result.lost).toEqual([{ frameId: 'f1', coderId: 'c1', found: null, acknowledged: A }]);
  });

  it('a save in flight at the kill may have committed or not; either is fine, and the found state is kept', () => {
    const ledger = new SaveLedger();
    ledger.sent('f1', 'c1', A);
    ledger.acknowledged('f1', 'c1', A);
    ledger.sent('f1', 'c1', B);
    ledger.sent('f2', 'c1', B);
    const result = ledger.reconcile([
      { frameId: 'f1', coderId: 'c1', found: B },
      { frameId: 'f2', coderId: 'c1', found: null },
    ]);
    expect(result).toEqual({ lost: [], inFlight: 2, inFlightCommitted: 1 });
    // Nothing is in flight any more: B is now what f1 must hold.
    expect(ledger.reconcile([{ frameId: 'f1', coderId: 'c1', found: A }]).lost).toHaveLength(1);
  });

  it('codes nobody saved (or a refused save) are not acknowledged codes', () => {
    const ledger = new SaveLedger();
    ledger.sent('f1', 'c1', A);
    ledger.refused('f1', 'c1', A);
    expect(ledger.reconcile([{ frameId: 'f1', coderId: 'c1', found: A }]).lost).toHaveLength(1);
    expect(ledger.reconcile([{ frameId: 'f2', coderId: 'c1', found: B }]).lost).toHaveLength(1);
  });
});
