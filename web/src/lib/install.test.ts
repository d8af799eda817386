import { describe, expect, it } from 'vitest';
import { debCommands, hubUrl, quickStartCommands, systemdCommands } from './install';

describe('install commands', () => {
  it('download from this hub and run with the key', () => {
    expect(quickStartCommands('https://hub.example.com', 'cok_abc')).toBe(
      'curl -fLo chatops-agent https://hub.example.com/downloads/chatops-agent && chmod +x chatops-agent\n' +
        './chatops-agent -api-key cok_abc -api-url https://hub.example.com',
    );
    const systemd = systemdCommands('https://hub.example.com', 'cok_abc');
    expect(systemd).toContain('https://hub.example.com/downloads/chatops-agent-linux-x64.tar.gz');
    expect(systemd).toContain(`'{"api_url": "%s", "api_key": "%s"}\\n' 'https://hub.example.com' 'cok_abc'`);
    expect(systemd).toContain('s#/usr/bin/chatops-agent#/opt/chatops-agent/chatops-agent#');
    expect(systemd).toContain('systemctl enable --now chatops-agent');
  });

  it('install the Debian package, then give it the key', () => {
    expect(debCommands('https://hub.example.com', 'cok_abc')).toBe(
      'curl -fLo chatops-agent.deb https://hub.example.com/downloads/chatops-agent.deb\n' +
        'sudo apt install ./chatops-agent.deb\n' +
        `printf '{"api_url": "%s", "api_key": "%s"}\\n' 'https://hub.example.com' 'cok_abc' | sudo tee /etc/chatops/agent.json >/dev/null\n` +
        'sudo systemctl restart chatops-agent',
    );
  });

  it('the hub address is where the page was loaded from', () => {
    expect(hubUrl({ origin: 'http://127.0.0.1:8080', pathname: '/' })).toBe('http://127.0.0.1:8080');
    expect(hubUrl({ origin: 'https://ops.example.com', pathname: '/chatops/index.html' })).toBe('https://ops.example.com/chatops');
  });
});
