import { Pool } from 'pg';

export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

export const pool = new Pool();
