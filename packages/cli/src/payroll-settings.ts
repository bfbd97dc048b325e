// The payroll export's one setting from the environment, validated like the services' config.
import { z } from 'zod';
import { UsageError } from './cli-errors.ts';

export const payrollSettingsSchema = z.object({
  /** Hours after a month's close (end + close grace) until its payroll cut-off; at most 31 days. */
  CS_PAYROLL_CUTOFF_HOURS: z.coerce.number().int().min(0).max(744).default(24),
});

export type PayrollSettings = z.infer<typeof payrollSettingsSchema>;

export function payrollSettings(env: NodeJS.ProcessEnv = process.env): PayrollSettings {
  const r = payrollSettingsSchema.safeParse({ CS_PAYROLL_CUTOFF_HOURS: env.CS_PAYROLL_CUTOFF_HOURS || undefined });
  if (!r.success) throw new UsageError('invalid setting CS_PAYROLL_CUTOFF_HOURS: a whole number of hours, 0-744 (default 24); fix that environment variable and retry');
  return r.data;
}
