/** The `.prompts` format: parser, serializer, import/export. No VS Code dependency. */
export * from './types';
export { parse, datasetSettings, positionAt, utf8Length, DIRECTIVES, DIRECTIVE_NAMES, FORMAT_VERSION, DEFAULT_MAX_BYTES, MASK } from './parser';
export { formatDataset, formatFact, formatPrompt, formatAnswers, formatDirective, escapePromptText, quoteIfNeeded } from './format';
export { KNOWN_LANGUAGES, checkTag, nearest, editDistance } from './languages';
export * from './convert';
