/** The commands that install an agent with `key` against the hub at `hubUrl` (no trailing slash). */
export function quickStartCommands(hubUrl: string, key: string): string {
  return [
    `curl -fLo chatops-agent ${hubUrl}/downloads/chatops-agent && chmod +x chatops-agent`,
    `./chatops-agent -api-key ${key} -api-url ${hubUrl}`,
  ].join('\n');
}

/** The same as a systemd service from the tarball, which carries its own Java runtime. */
export function systemdCommands(hubUrl: string, key: string): string {
  return [
    `curl -fLO ${hubUrl}/downloads/chatops-agent-linux-x64.tar.gz`,
    'sudo mkdir -p /opt/chatops-agent',
    'sudo tar xzf chatops-agent-linux-x64.tar.gz -C /opt/chatops-agent --strip-components=1',
    'sudo useradd --system --no-create-home --shell /usr/sbin/nologin chatops-agent',
    'sudo usermod -aG docker chatops-agent   # only if the agent should see Docker',
    'sudo install -m 600 /dev/null /etc/chatops-agent.env',
    `printf 'CHATOPS_API_KEY=%s\\nCHATOPS_API_URL=%s\\n' '${key}' '${hubUrl}' | sudo tee /etc/chatops-agent.env >/dev/null`,
    "sed 's#/usr/local/bin/chatops-agent#/opt/chatops-agent/chatops-agent#' /opt/chatops-agent/chatops-agent.service | sudo tee /etc/systemd/system/chatops-agent.service >/dev/null",
    'sudo systemctl daemon-reload && sudo systemctl enable --now chatops-agent',
  ].join('\n');
}

/** This hub's address as the browser reaches it, including any path prefix before the page. */
export function hubUrl(location: Pick<Location, 'origin' | 'pathname'>): string {
  return (location.origin + location.pathname.replace(/\/[^/]*$/, '')).replace(/\/+$/, '');
}
