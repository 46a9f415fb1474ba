// Linux /proc readings shared by the server's benchmarks.
import { readFileSync } from 'node:fs';

// Linux's USER_HZ, the unit of /proc's CPU times (`getconf CLK_TCK`), 100 on every common build.
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) used so far by a process, or by one of its threads given its tid. */
export function cpuSeconds(pid, tid) {
  const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Resident memory of a process, MiB. */
export function rssMib(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}
