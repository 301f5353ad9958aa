import { useEffect, useState } from 'react';
import type { CodebookChange, Category, Dimension } from '../../../shared/coding';
import { useStore } from '../../store';
import { changeCodebook, loadCodingSetup } from '../../store/codingActions';
import { notifyError } from '../../store/notifyError';
import { Screen } from '../../components/Screen';

/** Apply one codebook edit; the core versions it and refuses what would lose or blank codes. */
async function change(edit: CodebookChange): Promise<boolean> {
  try {
    await changeCodebook(edit);
    return true;
  } catch (err) {
    notifyError(err);
    return false;
  }
}

function CategoryRow({ dimension, category, index }: { dimension: Dimension; category: Category; index: number }) {
  const [value, setValue] = useState(category.value);
  const [shortcut, setShortcut] = useState(category.shortcut);
  const [description, setDescription] = useState(category.description);
  const [remapTo, setRemapTo] = useState<number | ''>('');
  const dirty = value !== category.value || shortcut !== category.shortcut || description !== category.description;
  const others = dimension.categories.filter((c) => c.id !== category.id);
  return (
    <li className="codebook-category" data-testid={`category-${category.id}`}>
      <input aria-label="Category" value={value} onChange={(e) => setValue(e.target.value)} />
      <input aria-label="Key" className="key-input" maxLength={1} value={shortcut} onChange={(e) => setShortcut(e.target.value)} />
      <input aria-label="Description" className="grow" value={description} onChange={(e) => setDescription(e.target.value)} />
      <span className="muted small">{category.codeCount} codes</span>
      <button
        type="button"
        disabled={!dirty}
        onClick={() => void change({ op: 'updateCategory', categoryId: category.id, value, shortcut, description })}
      >
        Save
      </button>
      <button
        type="button"
        aria-label="Move up"
        disabled={index === 0}
        onClick={() => void change({ op: 'moveCategory', categoryId: category.id, position: index - 1 })}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label="Move down"
        disabled={index === dimension.categories.length - 1}
        onClick={() => void change({ op: 'moveCategory', categoryId: category.id, position: index + 1 })}
      >
        ↓
      </button>
      {category.codeCount > 0 && (
        <select aria-label="Move its codes to" value={remapTo} onChange={(e) => setRemapTo(e.target.value ? Number(e.target.value) : '')}>
          <option value="">codes move to…</option>
          {others.map((c) => (
            <option key={c.id} value={c.id}>
              {c.value}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        disabled={category.codeCount > 0 && remapTo === ''}
        title={category.codeCount > 0 ? 'Choose where its codes move first' : 'Remove this category'}
        onClick={() => void change({ op: 'removeCategory', categoryId: category.id, remapTo: remapTo === '' ? undefined : remapTo })}
      >
        Remove
      </button>
      <Examples category={category} />
    </li>
  );
}

/** Example frames that show coders what a category looks like. */
function Examples({ category }: { category: Category }) {
  const [frameId, setFrameId] = useState('');
  const set = (frameIds: string[]) => change({ op: 'setExamples', categoryId: category.id, frameIds });
  return (
    <div className="examples">
      <span className="muted small">Examples:</span>
      {category.examples.length === 0 && <span className="muted small">none</span>}
      {category.examples.map((id) => (
        <button
          key={id}
          type="button"
          className="chip"
          title="Remove this example"
          onClick={() => void set(category.examples.filter((e) => e !== id))}
        >
          {id} ×
        </button>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void set([...category.examples, frameId.trim()]).then((ok) => ok && setFrameId(''));
        }}
      >
        <input
          aria-label={`Example frame for ${category.value}`}
          placeholder="frame id"
          value={frameId}
          onChange={(e) => setFrameId(e.target.value)}
        />
      </form>
    </div>
  );
}

function AddCategory({ dimension }: { dimension: string }) {
  const [value, setValue] = useState('');
  const [shortcut, setShortcut] = useState('');
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void change({ op: 'addCategory', dimension, value, shortcut, description: '' }).then((ok) => {
          if (ok) {
            setValue('');
            setShortcut('');
          }
        });
      }}
    >
      <label>
        New category <input value={value} onChange={(e) => setValue(e.target.value)} required />
      </label>
      <label>
        Key <input className="key-input" maxLength={1} value={shortcut} onChange={(e) => setShortcut(e.target.value)} required />
      </label>
      <button type="submit">Add</button>
    </form>
  );
}

/** The lead edits the codebook: categories in order, keys, descriptions; every edit is a version. */
export function CodebookScreen() {
  const codebook = useStore((s) => s.codebook);
  useEffect(() => {
    void loadCodingSetup();
  }, []);
  if (!codebook) return <p className="loading">Loading the codebook…</p>;
  return (
    <Screen id="codebook" title="Codebook" head={<span className="muted">version {codebook.version}</span>}>
      <p className="muted small">
        Renaming keeps every code. A category with codes is removed only after you choose where its codes move. Keys are unique across
        dimensions; Z, U, N, J, K are kept for the coding view.
      </p>
      {codebook.dimensions.map((d) => (
        <article key={d.name} className="card codebook-dimension" data-testid={`codebook-${d.name}`}>
          <h2>
            {d.label}{' '}
            <span className="muted small">
              {d.name} · {d.level}
            </span>
          </h2>
          {d.description && <p className="muted small">{d.description}</p>}
          <ul className="plain">
            {d.categories.map((c, i) => (
              <CategoryRow key={`${c.id}:${c.value}:${c.shortcut}:${c.description}`} dimension={d} category={c} index={i} />
            ))}
          </ul>
          <AddCategory dimension={d.name} />
        </article>
      ))}
    </Screen>
  );
}
