/**
 * Types of the `.prompts` format's parse result. Ranges are LSP-compatible: 0-based lines and
 * characters counted in UTF-16 code units (JavaScript string indices), end exclusive.
 * No VS Code dependency: the engine, the CLI and the language server all use these.
 */
import type { Device, WeightStorage } from '../types';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Same numbers as LSP's DiagnosticSeverity. */
export const Severity = {
  Error: 1,
  Warning: 2,
  Information: 3,
  Hint: 4,
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: what the editor offers as a code action. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier, e.g. `no-mask`; documented in docs/prompts-format.md. */
  code: string;
  message: string;
  fix?: Fix;
}

export type DirectiveName =
  'version' | 'model' | 'steps' | 'threshold' | 'percentile' | 'abs-threshold' | 'p' | 'batch-size' | 'method' | 'device' | 'quadrature' | 'weights';

export interface Directive {
  /** Name without the `@`, as written (lowercase when known). */
  name: string;
  /** Parsed value: a number for numeric directives, a string otherwise; `null` when missing or invalid. */
  value: string | number | null;
  /** The value as written (quotes removed). */
  raw: string;
  /** Whole directive, from `@` to the end of its value (without a trailing comment). */
  range: Range;
  nameRange: Range;
  valueRange: Range;
  /** False when the directive is unknown or its value is invalid. */
  ok: boolean;
}

export interface Prompt {
  /** Prompt text as the model sees it (prefixes, escape and surrounding blanks removed). Equal to the document text at `range`. */
  text: string;
  /** Language tag (`en`, `pt-br`, …) or `''` when untagged. */
  lang: string;
  range: Range;
  /** Whole line content (from its first non-blank character). */
  lineRange: Range;
  /** Range of the `[xx]` tag, when there is one. */
  tagRange?: Range;
  /** Range of `<mask>`; for causal prompts without one, an empty range at the end of the text. */
  maskRange: Range;
  hasMask: boolean;
  negative: boolean;
  /** The answer this prompt is scored against (its language's, or the fact's single answer). */
  answer?: string;
  /** True when the prompt has no error and an answer: it can be sent to the model. */
  ok: boolean;
}

export interface Fact {
  name: string;
  nameRange: Range;
  /** Language tag (or `''` for the untagged/single answer) → answer text. */
  answers: Record<string, string>;
  /** Range of everything after `->` (empty range right after `->` or at the end of the header when missing). */
  answerRange: Range;
  /** Range of each answer's text, by language. */
  answerRanges: Record<string, Range>;
  /** The header line (`fact … -> …`). */
  headerRange: Range;
  prompts: Prompt[];
  /** False when the header has an error (no name, no answer, duplicate name). */
  ok: boolean;
}

export interface Dataset {
  version: number;
  directives: Directive[];
  facts: Fact[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** The model is causal: a prompt ends where the answer begins and `<mask>` is optional (only at the end). */
  causal?: boolean;
  /**
   * The model's kind is unknown (say its folder is missing): the rules that depend on it (`no-mask`
   * for masked models, `mask-not-at-end` for causal ones) are not applied, so that one bad `@model`
   * gives one error, not one per prompt.
   */
  kindUnknown?: boolean;
  /** Inputs larger than this many UTF-8 bytes get one diagnostic and are not parsed. Default 5 MiB. */
  maxBytes?: number;
}

/** File-level settings read from directives (only valid ones). */
export interface DatasetSettings {
  version?: number;
  model?: string;
  steps?: number;
  threshold?: number;
  percentile?: number;
  absThreshold?: number;
  p?: number;
  batchSize?: number;
  method?: 'ig' | 'activation';
  device?: Device;
  quadrature?: 'reference' | 'midpoint' | 'gauss-legendre';
  /** How the model's weight matrices are kept (`--weights`). */
  weights?: WeightStorage;
  /** The coarse rule directive that applies (the last of @threshold/@percentile/@abs-threshold). */
  rule?: { kind: 'adaptive' | 'threshold' | 'percentile'; value: number };
}
