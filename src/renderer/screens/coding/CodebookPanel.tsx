import { useEffect, useState } from 'react';
import type { Codebook } from '../../../shared/coding';
import type { FrameSummary } from '../../../shared/media';
import { fileUrl } from '../../api/client';
import { listFrames } from '../../store/codingActions';

const OPEN_KEY = 'framelab.codingCodebookOpen';

/**
 * The codebook beside the frame: each dimension's and category's definition and the lead's
 * example frames, so a coder in doubt reads the rule instead of guessing. Collapsed by
 * default (the keys and the frame come first); open or closed is remembered on this machine.
 */
export function CodebookPanel({ codebook }: { codebook: Codebook }) {
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) === 'open');
  const examples = useExampleFrames(codebook, open);
  return (
    <details
      className="codebook-panel"
      open={open}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        setOpen(now);
        // The side column scrolls: an opened panel shows its definitions, not just its title.
        if (now) e.currentTarget.scrollIntoView({ block: 'start' });
        localStorage.setItem(OPEN_KEY, now ? 'open' : 'closed');
      }}
    >
      <summary>Codebook: definitions and examples</summary>
      {codebook.dimensions.map((d) => (
        <section key={d.name} aria-label={`${d.label} definitions`}>
          <h3>{d.label}</h3>
          {d.description && <p className="muted small">{d.description}</p>}
          <dl>
            {d.categories.map((c) => (
              <div className="row" key={c.id}>
                <dt>
                  <kbd>{c.shortcut.toUpperCase()}</kbd> {c.value}
                </dt>
                <dd>
                  {c.description || <span className="muted">No definition yet.</span>}
                  {c.examples.length > 0 && (
                    <span className="codebook-examples" aria-label={`Examples of ${c.value}`}>
                      {c.examples.map((id) => {
                        const frame = examples.get(id);
                        const src = frame?.thumb ?? frame?.image;
                        return src ? (
                          <img key={id} src={fileUrl(src)} alt={`Example: ${id}`} title={id} />
                        ) : (
                          <span key={id} className="mono">
                            {id}
                          </span>
                        );
                      })}
                    </span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </details>
  );
}

/** The example frames' images, fetched once the panel is open (a closed panel costs nothing). */
function useExampleFrames(codebook: Codebook, open: boolean): Map<string, FrameSummary> {
  const [frames, setFrames] = useState(new Map<string, FrameSummary>());
  const ids = [...new Set(codebook.dimensions.flatMap((d) => d.categories.flatMap((c) => c.examples)))].sort();
  const key = ids.join('\n');
  useEffect(() => {
    if (!open || key === '') return;
    let current = true;
    listFrames({ frameIds: key.split('\n'), limit: 1000 }).then(
      (r) => current && setFrames(new Map(r.frames.map((f) => [f.frameId, f]))),
      // Without the images the ids still say which frames: nothing to report.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [open, key]);
  return frames;
}
