import { describe, expect, it } from 'vitest';
import { RESERVED_KEYS } from '../src/shared/coding';
import { AREAS } from '../src/renderer/areas';
import { CODING_BINDINGS, codingCommandFor, codingHints } from '../src/renderer/screens/coding/codingKeys';
import { clampPan, doubleClickZoom, FIT, fitScale, toggleActualSize, zoomAt } from '../src/renderer/screens/coding/zoomMath';
import { APP_CHORDS, appChordHints, installShortcuts } from '../src/renderer/shortcuts';
import { resetStore, useStore } from '../src/renderer/store';

const portrait = { w: 1080, h: 1920 };
const box = { w: 730, h: 716 };

describe('the frame view geometry', () => {
  it('fits 9:16 to the height and 16:9 to the width', () => {
    expect(fitScale(portrait, box)).toBeCloseTo(716 / 1920);
    expect(fitScale({ w: 1920, h: 1080 }, { w: 800, h: 700 })).toBeCloseTo(800 / 1920);
    // A small frame is enlarged to the box: as big as the screen allows.
    expect(fitScale({ w: 320, h: 180 }, { w: 800, h: 700 })).toBeCloseTo(2.5);
  });

  it('zooms around the pointer: the image point under it stays put', () => {
    const fit = fitScale(portrait, box);
    const at = { x: 20, y: -120 }; // inside the range the pan may take at twice the fit
    const view = zoomAt(FIT, fit, 2, at, portrait, box);
    expect(view.zoom).toBeCloseTo(fit * 2);
    // The image point under `at` was (at - pan) / scale before and after.
    expect((at.x - view.pan.x) / view.zoom!).toBeCloseTo(at.x / fit);
    expect((at.y - view.pan.y) / view.zoom!).toBeCloseTo(at.y / fit);
    // Zooming back out past the fit returns to "fit", centred.
    expect(zoomAt(view, fit, 1 / 4, at, portrait, box)).toEqual(FIT);
  });

  it('keeps a zoomed frame on screen and a smaller one centred', () => {
    expect(clampPan({ x: 5000, y: -5000 }, 1, portrait, box)).toEqual({ x: (1080 - 730) / 2, y: -(1920 - 716) / 2 });
    expect(clampPan({ x: 30, y: 30 }, 0.2, portrait, box)).toEqual({ x: 0, y: 0 });
  });

  it('toggles 1:1 and back; a double-click zooms in, then fits', () => {
    const actual = toggleActualSize(FIT);
    expect(actual).toEqual({ zoom: 1, pan: { x: 0, y: 0 } });
    expect(toggleActualSize(actual)).toEqual(FIT);
    const fit = fitScale(portrait, box);
    const zoomed = doubleClickZoom(FIT, fit, { x: 0, y: 0 }, portrait, box);
    expect(zoomed.zoom).toBeCloseTo(fit * 2);
    expect(doubleClickZoom(zoomed, fit, { x: 0, y: 0 }, portrait, box)).toEqual(FIT);
  });
});

describe('the key lists', () => {
  it('use every key the codebook cannot, and no key twice', () => {
    const keys = CODING_BINDINGS.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const reserved of RESERVED_KEYS) expect(codingCommandFor(reserved), `reserved key "${reserved}"`).toBeDefined();
    // No binding takes a key a category may have (a letter or a digit) unless it is reserved.
    for (const k of keys) if (/^[a-z0-9]$/.test(k)) expect(RESERVED_KEYS as readonly string[]).toContain(k);
    expect(codingHints().map((h) => h.label)).toContain('previous / next frame');
  });

  it('print the chords the handler dispatches: every area, the jobs panel, the theme, and ?', () => {
    const hints = appChordHints();
    for (const area of AREAS) expect(hints).toContainEqual({ keys: [`Ctrl+${area.shortcut}`], label: area.label });
    expect(hints.map((h) => h.label)).toEqual([...APP_CHORDS.map((c) => c.label), 'this sheet of every key']);
  });

  it('? opens and closes the sheet, unless a screen took the key', async () => {
    resetStore();
    let handler: ((e: unknown) => void) | null = null;
    const uninstall = installShortcuts({
      addEventListener: (_: string, h: unknown) => (handler = h as (e: unknown) => void),
      removeEventListener: () => (handler = null),
    } as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>);
    const press = async (taken: boolean) => {
      handler!({
        key: '?',
        ctrlKey: false,
        metaKey: false,
        shiftKey: true,
        altKey: false,
        target: null,
        defaultPrevented: taken,
        preventDefault: () => undefined,
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await press(false);
    expect(useStore.getState().keySheetOpen).toBe(true);
    await press(false);
    expect(useStore.getState().keySheetOpen).toBe(false);
    await press(true);
    expect(useStore.getState().keySheetOpen).toBe(false);
    uninstall();
  });
});
