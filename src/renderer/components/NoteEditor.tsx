import { useEffect, useRef, useState } from 'react';

/**
 * A note typed in place: focused when it opens, Enter keeps it (Shift+Enter a new line), Esc
 * leaves it unchanged. The keys are written on the buttons.
 */
export function NoteEditor({
  initial,
  onSave,
  onClose,
  saveLabel = 'Save note',
}: {
  initial: string;
  onSave: (text: string) => void;
  onClose: () => void;
  saveLabel?: string;
}) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const save = () => {
    onSave(text);
    onClose();
  };
  return (
    <div className="note-editor">
      <textarea
        ref={ref}
        aria-label="Note"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <div className="note-actions">
        <button type="button" className="primary" onClick={save}>
          {saveLabel} (Enter)
        </button>
        <button type="button" onClick={onClose}>
          Cancel (Esc)
        </button>
      </div>
    </div>
  );
}
