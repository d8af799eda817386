import { describe, expect, it } from 'vitest';
import { hubUrl, quickStartCommands, systemdCommands } from './install';

describe('install commands', () => {
  it('download from this hub and run with the key', () => {
    expect(quickStartCommands('https://hub.example.com', 'cok_abc')).toBe(
      'curl -fLo chatops-agent https://hub.example.com/downloads/chatops-agent && chmod +x chatops-agent\n' +
        './chatops-agent -api-key cok_abc -api-url https://hub.example.com',
    );
    const systemd = systemdCommands('https://hub.example.com', 'cok_abc');
    expect(systemd).toContain('https://hub.example.com/downloads/chatops-agent-linux-x64.tar.gz');
    expect(systemd).toContain("'cok_abc' 'https://hub.example.com'");
    expect(systemd).toContain('systemctl enable --now chatops-agent');
  });

  it('the hub address is where the page was loaded from', () => {
    expect(hubUrl({ origin: 'http://127.0.0.1:8080', pathname: '/' })).toBe('http://127.0.0.1:8080');
    expect(hubUrl({ origin: 'https://ops.example.com', pathname: '/chatops/index.html' })).toBe('https://ops.example.com/chatops');
  });
});
