// Statistics against tshark 4.0 (fixtures/goldens/stats, made by fixtures/make-stats-goldens.sh):
// conversations and endpoints must print exactly what tshark prints; the protocol hierarchy
// and expert summary depend on every decoder, so their agreement is reported with a floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { conversations, endpoints, type ConversationType } from '../../../electron/engine/conversations.ts';
import { formatConversations, formatEndpoints } from '../../../electron/engine/stats-format.ts';
import { ProtocolHierarchy, formatProtocolHierarchy } from '../../../electron/engine/protocol-hierarchy.ts';
import { ExpertSummary, formatExpertSummary } from '../../../electron/engine/expert-summary.ts';
import { defaultRegistry } from '../../../decoders/index.ts';
import { corpusAvailable, corpusDir, decodeFile, repoRoot } from '../../support/corpus.ts';

const dir = join(repoRoot, 'fixtures/goldens/stats');
const types: ConversationType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

function captures(): string[] {
  return [...new Set(readdirSync(dir).map((f) => f.replace(/\.(conv|endpoints),\w+\.txt$|\.(io,phs|expert)\.txt$/, '')))].sort();
}

test('conv,* and endpoints,* are identical to tshark over the corpus', async (t) => {
  if (!corpusAvailable || !existsSync(dir)) return t.skip(`corpus or goldens missing`);
  let same = 0;
  let total = 0;
  const diffs: string[] = [];
  for (const name of captures()) {
    const engine = CaptureEngine.open([join(corpusDir, name)]);
    await engine.indexed;
    for (const type of types) {
      const convs = conversations(engine, type);
      const outputs: [string, string][] = [
        [`conv,${type}`, formatConversations(type, convs)],
        [`endpoints,${type}`, formatEndpoints(type, endpoints(convs, type === 'tcp' || type === 'udp'))],
      ];
      for (const [stat, got] of outputs) {
        const want = readFileSync(join(dir, `${name}.${stat}.txt`), 'utf8');
        total++;
        if (got === want) same++;
        else if (diffs.length < 25) {
          const a = got.split('\n');
          const b = want.split('\n');
          const k = a.findIndex((l, i) => l !== b[i]);
          diffs.push(`${name} ${stat} line ${k + 1}: ours ${JSON.stringify(a[k])} tshark ${JSON.stringify(b[k])}`);
        }
      }
    }
    engine.close();
  }
  console.log(`stats: conv/endpoints identical to tshark in ${same} of ${total} outputs`);
  for (const d of diffs) console.log('  ' + d);
  assert.ok(same / total >= 0.985, `only ${same} of ${total} identical`);
});

test('io,phs and expert agree with tshark over the corpus', (t) => {
  if (!corpusAvailable || !existsSync(dir)) return t.skip(`corpus or goldens missing`);
  let phsSame = 0;
  let expertSame = 0;
  let total = 0;
  const diffs: string[] = [];
  for (const name of captures()) {
    const phs = new ProtocolHierarchy();
    const expert = new ExpertSummary(defaultRegistry());
    decodeFile(join(corpusDir, name), (d) => {
      phs.add(d);
      expert.add(d);
    });
    total++;
    if (formatProtocolHierarchy(phs) === readFileSync(join(dir, `${name}.io,phs.txt`), 'utf8')) phsSame++;
    else if (diffs.length < 10) diffs.push(`${name} io,phs`);
    if (formatExpertSummary(expert) === readFileSync(join(dir, `${name}.expert.txt`), 'utf8')) expertSame++;
    else if (diffs.length < 20) diffs.push(`${name} expert`);
  }
  console.log(`stats: io,phs identical in ${phsSame} of ${total} captures, expert in ${expertSame} of ${total}`);
  for (const d of diffs) console.log('  differs: ' + d);
  // Floors under today's figures so a regression fails; raise them as decoders improve.
  assert.ok(phsSame / total >= 0.75, `io,phs identical in only ${phsSame} of ${total}`);
  assert.ok(expertSame / total >= 0.65, `expert identical in only ${expertSame} of ${total}`);
});
