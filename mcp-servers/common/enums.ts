// Small enum arguments that models (and people) write in any case: "ERROR", "Message". The schema still lists
// the values; the input is matched without regard to case (and to aliases, where a value has common other names).
import { z } from 'zod';

export function anyCaseEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  aliases: Readonly<Record<string, T[number]>> = {},
): z.ZodType<T[number], z.ZodTypeDef, unknown> {
  const canonical = new Map<string, T[number]>(values.map((v) => [v.toLowerCase(), v]));
  for (const [alias, value] of Object.entries(aliases)) canonical.set(alias.toLowerCase(), value);
  return z.preprocess((input) => (typeof input === 'string' ? (canonical.get(input.trim().toLowerCase()) ?? input) : input), z.enum(values));
}
