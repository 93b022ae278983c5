// Plain-words hints for the YAML mistakes people make most, added to the parser's message.

/**
 * An unquoted `: ` inside a value (`text: Note: this`) makes YAML read a second key: say to quote the value.
 * `code` is the yaml package's error code; `line` is 1-based.
 */
export function yamlHint(src: string, code: string, line: number): string | undefined {
  if (code !== 'BLOCK_AS_IMPLICIT_KEY' && code !== 'MULTILINE_IMPLICIT_KEY') return undefined
  const text = src.split('\n')[line - 1] ?? ''
  const m = /^(\s*(?:-\s+)?)([^\s:'"#][^:]*?):\s+(.*:(?:\s.*|))$/.exec(text)
  if (!m || /^["'|>]/.test(m[3])) return undefined
  const value = m[3].trim().replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  return `the value of '${m[2]}' contains ': ', which YAML reads as the start of another field; put the value in quotes: ${m[2]}: "${value}"`
}
