// Just enough of Eleventy 3's programmatic API for src/build/site (the package ships no TypeScript types).
declare module '@11ty/eleventy' {
  export interface EleventyUserConfig {
    addGlobalData(name: string, value: unknown): void
    addFilter(name: string, fn: (...args: any[]) => unknown): void
    setTemplateFormats(formats: string[] | string): void
    setUseGitIgnore(use: boolean): void
    setQuietMode(quiet: boolean): void
    ignores: Set<string>
    [k: string]: unknown
  }

  export interface EleventyOptions {
    quietMode?: boolean
    /** A path, or a falsy value (null) to read no config file at all. */
    configPath?: string | null
    pathPrefix?: string
    config?: (cfg: EleventyUserConfig) => void | Promise<void>
  }

  export interface EleventyJsonResult {
    url: string | false
    inputPath: string
    outputPath: string | false
    rawInput?: string
    content: string
  }

  export class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions)
    init(): Promise<void>
    write(): Promise<unknown>
    toJSON(): Promise<EleventyJsonResult[]>
    logger: { overrideLogger(logger: unknown): void }
  }
  export default Eleventy
}
