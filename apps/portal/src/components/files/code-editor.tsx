"use client";

// Loaded only through next/dynamic (see text-editor.tsx): CodeMirror stays out of other pages.
import { javascript } from "@codemirror/lang-javascript";
import { json } from "@codemirror/lang-json";
import { python } from "@codemirror/lang-python";
import { yaml } from "@codemirror/lang-yaml";
import { StreamLanguage } from "@codemirror/language";
import { properties } from "@codemirror/legacy-modes/mode/properties";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { EditorState, type Extension } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { keymap } from "@codemirror/view";
import { basicSetup, EditorView } from "codemirror";
import { useEffect, useRef } from "react";
import type { EditorLanguage } from "@/lib/files/file-kind";

function languageExtension(language: EditorLanguage): Extension {
  switch (language) {
    case "json":
      return json();
    case "yaml":
      return yaml();
    case "javascript":
      return javascript({ jsx: true });
    case "typescript":
      return javascript({ jsx: true, typescript: true });
    case "python":
      return python();
    case "properties":
      return StreamLanguage.define(properties);
    case "toml":
      return StreamLanguage.define(toml);
    case "shell":
      return StreamLanguage.define(shell);
    case "plain":
      return [];
  }
}

const berthTheme = EditorView.theme(
  {
    "&": { height: "100%", fontSize: "13px", backgroundColor: "var(--color-terminal)" },
    ".cm-scroller": {
      fontFamily:
        "ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, 'Liberation Mono', monospace",
    },
    ".cm-gutters": {
      backgroundColor: "var(--color-terminal)",
      borderRight: "1px solid var(--color-line)",
    },
    ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "rgb(255 255 255 / 0.04)" },
    "&.cm-focused": { outline: "none" },
  },
  { dark: true },
);

/**
 * A CodeMirror 6 editor. The document is set once from `initial`; later changes come from typing
 * and reach `onChange`. Ctrl/Cmd+S calls `onSave`.
 */
export default function CodeEditor({
  initial,
  language,
  onChange,
  onSave,
  readOnly = false,
}: {
  initial: string;
  language: EditorLanguage;
  onChange: (content: string) => void;
  onSave: () => void;
  readOnly?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onChange, onSave });
  useEffect(() => {
    handlers.current = { onChange, onSave };
  });

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          keymap.of([
            {
              key: "Mod-s",
              preventDefault: true,
              run: () => {
                handlers.current.onSave();
                return true;
              },
            },
          ]),
          // Earlier extensions take precedence: Berth's colours over One Dark's.
          berthTheme,
          basicSetup,
          oneDark,
          languageExtension(language),
          EditorState.readOnly.of(readOnly),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) handlers.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.focus();
    return () => view.destroy();
    // `initial` is the document as loaded: a new load remounts this component (see its key).
  }, [language, readOnly]);

  return <div ref={host} className="h-full min-h-0" data-testid="code-editor" />;
}
