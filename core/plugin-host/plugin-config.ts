import type { ConfigField, ConfigSchema } from './plugin-api.js';

export type ConfigCheck = { ok: true; values: Record<string, unknown> } | { ok: false; errors: string[] };

/** The defaults of a schema. */
export function configDefaults(schema: ConfigSchema | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema ?? {}).map(([key, field]) => [key, field.default]));
}

/**
 * Stored (or submitted) values checked against the schema, over the defaults: an unknown key or a value of the
 * wrong type or range is an error naming the key; a missing key takes its default.
 */
export function validateConfig(schema: ConfigSchema | undefined, input: Record<string, unknown>): ConfigCheck {
  const fields = schema ?? {};
  const errors: string[] = [];
  const values = configDefaults(fields);
  for (const [key, value] of Object.entries(input)) {
    const field = fields[key];
    if (!field) {
      errors.push(`${key}: no such setting`);
      continue;
    }
    const problem = fieldProblem(field, value);
    if (problem) errors.push(`${key}: ${problem}`);
    else values[key] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

function fieldProblem(field: ConfigField, value: unknown): string | null {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return 'expected a string';
      if (field.choices && !field.choices.includes(value)) return `expected one of ${field.choices.join(', ')}`;
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
      if (field.min !== undefined && value < field.min) return `at least ${field.min}`;
      if (field.max !== undefined && value > field.max) return `at most ${field.max}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? null : 'expected a list of strings';
  }
}

/** A `key=value` of the command line as the schema's type: numbers, true/false, comma lists. */
export function parseConfigArgument(schema: ConfigSchema | undefined, key: string, text: string): unknown {
  const field = schema?.[key];
  if (!field) return text;
  switch (field.type) {
    case 'number':
      return text.trim() === '' ? Number.NaN : Number(text);
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'string[]':
      return text === '' ? [] : text.split(',').map((item) => item.trim());
    case 'string':
      return text;
  }
}
