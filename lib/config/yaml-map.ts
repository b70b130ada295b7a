/** Loaded YAML mappings are `Map`s; this guard keeps their entries `unknown` rather than `any`. */
export function isYamlMap(value: unknown): value is Map<unknown, unknown> {
  return value instanceof Map;
}
