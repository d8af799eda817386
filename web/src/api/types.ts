// The shapes of the hub's REST API (API.md) that the interface reads.

export type Role = 'viewer' | 'operator' | 'admin';

export interface User {
  id: string;
  username: string;
  role: Role;
  created_at: string;
}

export type ServerStatus = 'online' | 'offline' | 'never_connected';

export interface AgentInfo {
  version: string;
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cpu_cores: number;
  capabilities: string[];
}

export interface LatestFigures {
  cpu_percent: number | null;
  memory_percent: number | null;
  disk_percent: number | null;
  load_1: number | null;
}

export interface Server {
  id: string;
  name: string;
  tags: string[];
  status: ServerStatus;
  last_seen: string | null;
  /** When the current agent link came up; null unless online. */
  online_since?: string | null;
  created_at?: string;
  agent: AgentInfo | null;
  latest: LatestFigures | null;
  /** The server's own sample interval; null follows the hub's --metrics-interval. */
  metrics_interval_seconds?: number | null;
  /** The interval its agent samples at: its own, or the hub's. */
  effective_metrics_interval_seconds?: number;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked: boolean;
}

export interface NewApiKey {
  id: string;
  key: string;
  name: string;
}

export interface ApiToken {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked: boolean;
}

/** Columnar history for charts; arrays line up with `timestamps`, null where the agent was silent. */
export interface History {
  resolution: 'raw' | '1m' | '1h';
  timestamps: string[];
  cpu_percent: (number | null)[];
  memory_percent: (number | null)[];
  disk_percent: (number | null)[];
  load_1: (number | null)[];
  net_sent_bytes_per_second: (number | null)[];
  net_recv_bytes_per_second: (number | null)[];
  per_core_percent: (number | null)[][] | null;
  disks: Record<string, (number | null)[]>;
  interfaces: Record<string, { sent: (number | null)[]; recv: (number | null)[] }>;
  /** Null when the server has no swap. */
  swap_percent: (number | null)[] | null;
  /** CPU and memory of each container, from the agent's containers reports. */
  containers?: Record<string, ContainerSeries>;
  /** Rollup tiers only: the maxima beside the averages. */
  cpu_percent_max?: (number | null)[];
  memory_percent_max?: (number | null)[];
  disk_percent_max?: (number | null)[];
  containers_max?: Record<string, ContainerSeries>;
  load_1_max?: (number | null)[];
  /** Per block device: read_bytes_per_second, write_bytes_per_second, reads_per_second, writes_per_second, busy_percent. */
  disk_io?: Record<string, Record<string, (number | null)[]>>;
  disk_io_max?: Record<string, Record<string, (number | null)[]>>;
  /** Per sensor, degrees Celsius. */
  temperatures?: Record<string, (number | null)[]>;
  temperatures_max?: Record<string, (number | null)[]>;
  /** cpu_some_avg10, memory_some_avg10, memory_full_avg10, io_some_avg10, io_full_avg10 where the kernel has them. */
  pressure?: Record<string, (number | null)[]>;
  pressure_max?: Record<string, (number | null)[]>;
  /** established, in_use, time_wait, orphans and rates of opens and retransmits. */
  tcp?: Record<string, (number | null)[]>;
  /** active, activating, inactive and failed systemd services. */
  services?: Record<string, (number | null)[]>;
  services_max?: Record<string, (number | null)[]>;
}

export interface ContainerSeries {
  cpu_percent?: (number | null)[];
  memory_bytes?: (number | null)[];
}

/** Something that happened to a server, drawn as a marker on its charts. */
export interface ServerEvent {
  at: string;
  kind: 'command' | 'container_start' | 'container_stop' | 'container_restart' | 'agent_connected' | 'agent_disconnected' | 'alert_firing' | 'alert_resolved';
  user: string | null;
  summary: string;
  ref: string | null;
}

/** A sample as the agent sent it (PROTOCOL.md `metrics`). */
export interface Sample {
  seq: number;
  timestamp: string;
  interval_seconds: number;
  cpu?: {
    usage_percent: number;
    per_core_percent: number[];
    load_1: number;
    load_5: number;
    load_15: number;
  };
  memory?: {
    total_bytes: number;
    used_bytes: number;
    available_bytes: number;
    usage_percent: number;
    swap_total_bytes: number;
    swap_used_bytes: number;
  };
  disks: {
    mount: string;
    device: string;
    fs_type: string;
    total_bytes: number;
    used_bytes: number;
    free_bytes: number;
    usage_percent: number;
  }[];
  network: {
    interface: string;
    bytes_sent: number;
    bytes_recv: number;
  }[];
  uptime_seconds?: number;
  errors?: { collector: string; message: string }[];
  /** Absent from older agents, and where the host has none (sensors, pressure information, systemd). */
  disk_io?: DiskIo[];
  temperatures?: { sensor: string; celsius: number; high_celsius?: number; critical_celsius?: number }[];
  pressure?: Partial<Record<PressureFigure, number>>;
  tcp?: {
    established: number;
    in_use: number;
    time_wait: number;
    orphans: number;
    active_opens_per_second?: number;
    passive_opens_per_second?: number;
    retransmits_per_second?: number;
  };
  services?: {
    active: number;
    activating: number;
    deactivating: number;
    reloading: number;
    inactive: number;
    failed: number;
    other: number;
    failed_units: string[];
  };
}

/** GET /servers/{id}/processes. */
export interface ProcessList {
  taken_at: string;
  window_ms: number;
  sort: 'cpu' | 'memory';
  total: number;
  processes: { pid: number; user: string; command: string; cpu_percent: number; memory_bytes: number }[];
}

export interface DiskIo {
  device: string;
  /** The mount points of the filesystems on it. */
  mounts: string[];
  read_bytes_per_second: number;
  write_bytes_per_second: number;
  reads_per_second: number;
  writes_per_second: number;
  busy_percent: number;
}

export type PressureFigure = 'cpu_some_avg10' | 'memory_some_avg10' | 'memory_full_avg10' | 'io_some_avg10' | 'io_full_avg10';

export interface LatestSample extends Sample {
  network_rates: { interface: string; sent_bytes_per_second: number | null; recv_bytes_per_second: number | null }[];
}

export interface Container {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  health: string | null;
  created: string;
  restart_count: number;
  ports: { private_port: number; public_port: number | null; type: string; ip?: string }[];
  cpu_percent: number | null;
  memory_bytes: number | null;
}

export type CommandStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'error';

export interface CommandRecord {
  id: string;
  server_id: string;
  user: string;
  command: string;
  status: CommandStatus;
  exit_code: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
}

export interface AuditEntry {
  time: string;
  user: string | null;
  source_ip: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  timestamp?: string | null;
  text: string;
}

export type Severity = 'info' | 'warning' | 'critical';
export type AlertState = 'pending' | 'firing' | 'resolved';

export interface Alert {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  server_id: string;
  server_name: string | null;
  subject: string | null;
  state: AlertState;
  value: number | null;
  threshold: number | null;
  started_at: string;
  firing_at: string | null;
  resolved_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  silenced_until: string | null;
  summary: string;
}

export interface AlertRule {
  id: string;
  name: string;
  enabled: boolean;
  severity: Severity;
  kind: 'metric' | 'offline' | 'container';
  metric?: string;
  op?: string;
  threshold?: number;
  container?: string;
  for_seconds: number;
  scope: { server_ids: string[]; tags: string[] };
  channel_ids: string[];
  repeat_seconds: number;
  created_at: string;
  created_by: string;
}

export interface Channel {
  id: string;
  name: string;
  type: 'webhook' | 'slack' | 'mattermost' | 'email' | 'alertmanager';
  config: Record<string, unknown>;
  enabled: boolean;
  created_at: string;
}

export interface Delivery {
  id: string;
  channel_id: string;
  alert_id: string | null;
  event: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  created_at: string;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
}

export interface ChatButton {
  label: string;
  command: string;
  danger: boolean;
}

export interface ChatMessage {
  id: string;
  author: { kind: 'user' | 'bot'; name: string };
  text: string;
  buttons: ChatButton[];
  reply_to: string | null;
  job_id: string | null;
  approval_id: string | null;
  created_at: string;
  updated_at: string | null;
}
