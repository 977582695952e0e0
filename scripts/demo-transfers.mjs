// Writes demo/transfers.jsonl: a small made-up transfer history around the demo attributions, so
// `cordon serve --demo` has a graph to answer exposure questions on. Addresses of people in the
// story are derived from SHA-256 of a label, like the demo attributions.
// Run: node scripts/demo-transfers.mjs > demo/transfers.jsonl
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check } from '@scure/base';

const b58c = base58check(sha256);
const tron = (label) => {
  const h = createHash('sha256').update(`cordon demo ${label}`).digest();
  return b58c.encode(Uint8Array.from([0x41, ...h.subarray(0, 20)]));
};
const GUARANTEE = 'TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58';
const SCAM = 'TPW4KJSVKQMea3noY7xSUxhPWcVBj8ujAr';
const broker = tron('otc broker');
const mule = tron('money mule');
const customer = tron('customer alice');
const clean = tron('customer bob');
const victims = Array.from({ length: 6 }, (_, i) => tron(`victim ${i + 1}`));
const peel = Array.from({ length: 5 }, (_, i) => tron(`peel hop ${i + 1}`));

let n = 0;
let t = Date.parse('2024-06-01T08:00:00Z') / 1000;
const out = [];
const send = (from, to, amount, minutes = 37) => {
  t += minutes * 60;
  n += 1;
  out.push({
    id: `demo-${n}`,
    chain: 'tron',
    asset: 'USDT',
    from,
    to,
    amount,
    timestamp: new Date(t * 1000).toISOString().replace('.000Z', 'Z'),
    tx: createHash('sha256').update(`demo tx ${n}`).digest('hex'),
  });
};
// The guarantee marketplace pays an OTC broker, who pays a mule, who pays the customer's address.
send(GUARANTEE, broker, '25000');
send(tron('other trader'), broker, '15000');
send(broker, mule, '18000');
send(mule, customer, '9800');
send(clean, customer, '1200');
// Victims of a pig-butchering ring pay in (fan-in), the ring passes the money along a peel chain.
for (const [i, v] of victims.entries()) send(v, SCAM, String(3000 + i * 750), 11);
let left = 20000;
let from = SCAM;
for (const hop of peel) {
  const kept = Math.round(left * 0.07);
  send(from, tron(`peel cash-out ${hop.slice(1, 5)}`), String(kept), 5);
  left -= kept;
  send(from, hop, String(left), 6);
  from = hop;
}
// Ordinary traffic between two customers.
send(clean, tron('merchant'), '420');
send(tron('merchant'), clean, '35');
process.stdout.write(`${out.map((o) => JSON.stringify(o)).join('\n')}\n`);
