/**
 * The Markdown body, in CodeMirror 6. Uncontrolled: CodeMirror owns the text, reports each change
 * the person makes, and the page changes it only through the handle (replacing the whole text
 * after a conflict or a restore, inserting an uploaded image). Those changes are marked, so they
 * are not reported back as typing. Tab is left to move focus, so the keyboard can leave it.
 */
import { deleteMarkupBackward, insertNewlineContinueMarkup, markdownLanguage } from "@codemirror/lang-markdown";
import { defaultHighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { Annotation, EditorState, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { drawSelection, EditorView, keymap, placeholder } from "@codemirror/view";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";

export interface MarkdownEditorHandle {
  getText(): string;
  /** Where the cursor is. */
  cursor(): number;
  /** Replaces the whole text (not reported as a change; undo history stays usable). */
  setText(text: string): void;
  /** Inserts at `at` (default: the cursor) as if typed: reported as a change. */
  insert(text: string, at?: number): void;
  /** Replaces the first occurrence of `find`, as if typed; false when it is gone. */
  replace(find: string, replacement: string): boolean;
  /** The document position under a screen point (where a file was dropped). */
  positionAt(x: number, y: number): number | null;
  focus(): void;
}

interface Props {
  initialText: string;
  label: string;
  onChange: (text: string) => void;
  onFiles: (files: File[], at: number | null) => void;
  onSave: () => void;
  onPublish: () => void;
  describedBy?: string;
}

const External = Annotation.define<boolean>();

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--surface)", color: "var(--text)", height: "100%" },
  ".cm-content": { fontFamily: "var(--mono)", fontSize: "0.92rem", lineHeight: "1.55", padding: "0.75rem 0" },
  ".cm-line": { padding: "0 0.85rem" },
  ".cm-scroller": { overflow: "auto" },
  "&.cm-focused": { outline: "none" },
  ".cm-cursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--accent-soft)",
  },
  ".cm-placeholder": { color: "var(--muted)" },
});

export const MarkdownEditor = forwardRef<MarkdownEditorHandle, Props>(function MarkdownEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by CodeMirror's handlers (created once, with the view).
  const callbacks = useRef(props);
  useEffect(() => {
    callbacks.current = props;
  });

  useEffect(() => {
    if (!host.current) return;
    const files = (list: FileList | null | undefined) => (list ? Array.from(list) : []);
    const state = EditorState.create({
      doc: callbacks.current.initialText,
      extensions: [
        history(),
        drawSelection(),
        EditorView.lineWrapping,
        // Markdown (GFM) without `markdown()`'s HTML and code-block languages: raw HTML is off
        // in posts, and those languages would triple the editor's download.
        new LanguageSupport(markdownLanguage),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        placeholder("Write in Markdown… paste or drop an image to upload it."),
        Prec.highest(
          keymap.of([
            { key: "Mod-s", preventDefault: true, run: () => (callbacks.current.onSave(), true) },
            { key: "Mod-Enter", preventDefault: true, run: () => (callbacks.current.onPublish(), true) },
          ]),
        ),
        keymap.of([
          { key: "Enter", run: insertNewlineContinueMarkup },
          { key: "Backspace", run: deleteMarkupBackward },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.contentAttributes.of({
          "aria-label": callbacks.current.label,
          "aria-multiline": "true",
          ...(callbacks.current.describedBy ? { "aria-describedby": callbacks.current.describedBy } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          if (update.transactions.every((tr) => tr.annotation(External))) return;
          callbacks.current.onChange(update.state.doc.toString());
        }),
        EditorView.domEventHandlers({
          paste: (event) => {
            const pasted = files(event.clipboardData?.files);
            if (!pasted.length) return false;
            event.preventDefault();
            callbacks.current.onFiles(pasted, null);
            return true;
          },
          drop: (event, v) => {
            const dropped = files(event.dataTransfer?.files);
            if (!dropped.length) return false;
            event.preventDefault();
            callbacks.current.onFiles(dropped, v.posAtCoords({ x: event.clientX, y: event.clientY }));
            return true;
          },
        }),
        theme,
      ],
    });
    const editor = new EditorView({ state, parent: host.current });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      getText: () => view.current?.state.doc.toString() ?? "",
      cursor: () => view.current?.state.selection.main.head ?? 0,
      setText: (text) => {
        const v = view.current;
        if (!v || v.state.doc.toString() === text) return;
        v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text }, annotations: External.of(true) });
      },
      insert: (text, at) => {
        const v = view.current;
        if (!v) return;
        const from = Math.min(at ?? v.state.selection.main.head, v.state.doc.length);
        v.dispatch({ changes: { from, insert: text }, selection: { anchor: from + text.length }, scrollIntoView: true });
      },
      replace: (find, replacement) => {
        const v = view.current;
        if (!v) return false;
        const from = v.state.doc.toString().indexOf(find);
        if (from < 0) return false;
        v.dispatch({ changes: { from, to: from + find.length, insert: replacement } });
        return true;
      },
      positionAt: (x, y) => view.current?.posAtCoords({ x, y }) ?? null,
      focus: () => view.current?.focus(),
    }),
    [],
  );

  return <div ref={host} className="md-editor" />;
});
