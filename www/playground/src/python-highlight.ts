/** Python highlighting for the editor: its own chunk, loaded when Python is picked. */
export { pythonLanguage } from "@codemirror/lang-python";
