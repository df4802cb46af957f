/** One command-line option: its flag, environment variable, default and meaning (drives parsing and `--help`). */
export interface CliOption {
  flag?: string;
  env?: string;
  type: 'string' | 'boolean';
  defaultText: string;
  description: string;
}
