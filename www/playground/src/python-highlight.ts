/**
 * Python highlighting for the editor: its own chunk, loaded when Python is picked. CodeMirror's
 * stream-parser Python mode (2 KB gz), not the lezer grammar of @codemirror/lang-python (17 KB gz):
 * the editor only highlights Python (the interpreter reports errors with their lines).
 */
import { StreamLanguage } from "@codemirror/language";
import { python } from "@codemirror/legacy-modes/mode/python";

export const pythonLanguage = StreamLanguage.define(python);
