export { parseConfig, CONFIG_FILE_NAME } from './load';
export { parseAnnotations, annotationFor, type Annotation } from './annotations';
export { resolveTraffic, unmatchedOverrides, shadowedOverrideFields, BUILT_IN_DEFAULTS, type ResolvedTraffic, type ShadowedField } from './resolve';
export * from './types';
