// `pktscope -q -z ...`: statistics and Follow TCP stream, printed as tshark prints them.
// Index-based statistics (conversations, endpoints, follow) use the engine; protocol
// hierarchy and expert info need every packet decoded, in one sequential pass.

import { CaptureEngine } from './engine/engine.ts';
import { conversations, endpoints, type ConversationType } from './engine/conversations.ts';
import { formatConversations, formatEndpoints } from './engine/stats-format.ts';
import { followTcpStream } from './engine/follow.ts';
import { formatFollow, type FollowMode } from './engine/follow-format.ts';
import { frameInfoOf, MergedReader } from './engine/merge.ts';
import { defaultRegistry, dissectFrame, Session } from '../decoders/index.ts';
import type { Dissection } from '../decoders/core/types.ts';
import { ProtocolHierarchy, formatProtocolHierarchy } from './engine/protocol-hierarchy.ts';
import { ExpertSummary, formatExpertSummary } from './engine/expert-summary.ts';
import type { Output } from './cli.ts';
import { connections } from './engine/connections.ts';
import { formatConnections } from './engine/connections-format.ts';
import { en } from '../renderer/i18n/en.ts';
import { checkFilter } from '../decoders/filter/index.ts';
import { ioStatText, IoStatUsageError, parseIoStat, type IoStatSpec } from './cli-iostat.ts';

export class StatsUsageError extends Error {}

type Stat =
  | { kind: 'conv' | 'endpoints'; type: ConversationType }
  | { kind: 'follow'; mode: FollowMode; stream: number }
  | { kind: 'phs' }
  | { kind: 'expert' }
  | { kind: 'conn'; filter: string | null }
  | { kind: 'iostat'; spec: IoStatSpec };

const CONV_TYPES: readonly ConversationType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

export function parseStat(arg: string): Stat {
  const parts = arg.split(',');
  const [what, a, b, c] = parts;
  if ((what === 'conv' || what === 'endpoints') && CONV_TYPES.includes(a as ConversationType) && parts.length === 2) return { kind: what, type: a as ConversationType };
  if (what === 'follow' && a === 'tcp' && (b === 'ascii' || b === 'hex' || b === 'raw') && c !== undefined && /^\d+$/.test(c) && parts.length === 4) return { kind: 'follow', mode: b, stream: Number(c) };
  if (arg === 'io,phs') return { kind: 'phs' };
  if (what === 'io' && a === 'stat') {
    try {
      return { kind: 'iostat', spec: parseIoStat(arg) };
    } catch (e) {
      throw e instanceof IoStatUsageError ? new StatsUsageError(e.message) : e;
    }
  }
  if (arg === 'expert') return { kind: 'expert' };
  if (what === 'conn') {
    // conn[,FILTER]: the filter may itself hold commas.
    const filter = parts.length > 1 ? arg.slice('conn,'.length).trim() : '';
    const err = filter ? checkFilter(filter) : null;
    if (err) throw new StatsUsageError(`invalid filter in -z conn: ${err.message}`);
    return { kind: 'conn', filter: filter || null };
  }
  throw new StatsUsageError(`invalid -z argument "${arg}"; supported: conv,eth|ip|ipv6|tcp|udp  endpoints,eth|ip|ipv6|tcp|udp  follow,tcp,ascii|hex|raw,N  io,phs  io,stat,INTERVAL[,FILTER...]  expert  conn[,FILTER]`);
}

/** One sequential decode of every packet, for the statistics that need full trees. */
function decodeAll(files: readonly string[], each: (d: Dissection) => void): void {
  const reader = new MergedReader(files);
  const registry = defaultRegistry();
  const session = new Session();
  let n = 0;
  try {
    for (let m = reader.next(); m; m = reader.next()) {
      n++;
      each(dissectFrame(registry, session, frameInfoOf(m, n), m.rec.data));
    }
  } finally {
    reader.close();
  }
}

export async function runStats(files: readonly string[], args: readonly string[], out: Output): Promise<number> {
  const stats = args.map(parseStat);
  const engine = CaptureEngine.open(files);
  const progress = await engine.indexed;
  const texts: string[] = [];
  let phs: ProtocolHierarchy | null = null;
  let expert: ExpertSummary | null = null;
  if (stats.some((s) => s.kind === 'phs' || s.kind === 'expert')) {
    phs = new ProtocolHierarchy();
    expert = new ExpertSummary(defaultRegistry());
    decodeAll(files, (d) => {
      phs!.add(d);
      expert!.add(d);
    });
  }
  try {
    for (const s of stats) {
      switch (s.kind) {
        case 'conv':
          texts.push(formatConversations(s.type, conversations(engine, s.type)));
          break;
        case 'endpoints':
          texts.push(formatEndpoints(s.type, endpoints(conversations(engine, s.type), s.type === 'tcp' || s.type === 'udp')));
          break;
        case 'follow':
          texts.push(formatFollow(followTcpStream(engine, s.stream), s.mode));
          break;
        case 'phs':
          texts.push(formatProtocolHierarchy(phs!));
          break;
        case 'expert':
          texts.push(formatExpertSummary(expert!));
          break;
        case 'iostat':
          texts.push(await ioStatText(engine, files, s.spec));
          break;
        case 'conn': {
          // Connections of the packets matching the filter (all packets without one).
          const run = s.filter ? engine.setFilter(s.filter) : null;
          if (run) await run.done;
          texts.push(formatConnections(connections(engine, run ? run.matches : undefined), en, s.filter ?? undefined));
          break;
        }
      }
    }
  } finally {
    engine.close();
  }
  // tshark prints the statistics in the reverse order of its -z options.
  out.write(texts.reverse().join(''));
  for (const e of progress.errors) out.error(`pktscope: ${e}`);
  return progress.errors.length ? 1 : 0;
}
