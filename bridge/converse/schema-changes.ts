/**
 * How a tool's schema was changed on its way to a model, by tool and parameter, so users see exactly what a model
 * can no longer send (`narrowed`) or what moved from the schema into its description (`widened`).
 * Why each change happens: docs/schema-translation.md.
 */

/** One change the bridge made to a tool's input schema for one model. */
export interface SchemaChange {
  /** The Converse name of the tool. */
  tool: string;
  /**
   * The parameter's path in the tool's input: `filters[].value` (`[]` an array item, `*` any other key), or `''`
   * for the input as a whole.
   */
  parameter: string;
  /** `narrowed`: some input the tool accepts is refused now; `widened`: a rule moved into the description. */
  kind: 'narrowed' | 'widened';
  /** What changed and why, in words. */
  detail: string;
}

/** The change as one line for warnings and `mcp-bedrock tools`. */
export function describeChange(change: SchemaChange): string {
  const where = change.parameter === '' ? 'its input' : `parameter "${change.parameter}"`;
  return `tool ${change.tool}, ${where}: ${change.detail}`;
}
