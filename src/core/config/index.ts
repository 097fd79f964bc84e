export { parseConfig, CONFIG_FILE_NAME } from './load';
export { parseAnnotations, annotationFor, type Annotation } from './annotations';
export { resolveTraffic, unmatchedOverrides, BUILT_IN_DEFAULTS, type ResolvedTraffic } from './resolve';
export * from './types';
