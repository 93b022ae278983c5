// YAML syntax errors as a person reads them: the first line of the parser's message and a 1-based line:col.
import YAML from 'yaml'
import { yamlHint } from '../yaml-hint.ts'

export interface ParsedYaml {
  doc: YAML.Document
  lineCounter: YAML.LineCounter
  /** The first syntax error, if any. */
  error?: { message: string; line: number; col: number }
}

export function parseYaml(src: string): ParsedYaml {
  const lineCounter = new YAML.LineCounter()
  const doc = YAML.parseDocument(src, { lineCounter, prettyErrors: false })
  const e = doc.errors[0]
  if (!e) return { doc, lineCounter }
  const { line, col } = lineCounter.linePos(e.pos[0])
  const hint = yamlHint(src, e.code, line)
  return { doc, lineCounter, error: { message: `YAML syntax error: ${hint ?? e.message.split('\n')[0]}`, line, col } }
}
