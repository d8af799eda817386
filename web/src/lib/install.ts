/** The commands that install an agent with `key` against the hub at `hubUrl` (no trailing slash). */
export function quickStartCommands(hubUrl: string, key: string): string {
  return [
    `curl -fLo chatops-agent ${hubUrl}/downloads/chatops-agent && chmod +x chatops-agent`,
    `./chatops-agent -api-key ${key} -api-url ${hubUrl}`,
  ].join('\n');
}

/** The agent's settings file, as the Debian package and the tarball's unit read it. */
function writeConfig(hubUrl: string, key: string): string {
  return `printf '{"api_url": "%s", "api_key": "%s"}\\n' '${hubUrl}' '${key}' | sudo tee /etc/chatops/agent.json >/dev/null`;
}

/** The Debian package (Debian 12, Ubuntu 22.04 and newer): a service with its own Java runtime. */
export function debCommands(hubUrl: string, key: string): string {
  return [
    `curl -fLo chatops-agent.deb ${hubUrl}/downloads/chatops-agent.deb`,
    'sudo apt install ./chatops-agent.deb',
    writeConfig(hubUrl, key),
    'sudo systemctl restart chatops-agent',
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
    'sudo install -d /etc/chatops && sudo install -m 640 -g chatops-agent /dev/null /etc/chatops/agent.json',
    writeConfig(hubUrl, key),
    "sed 's#/usr/bin/chatops-agent#/opt/chatops-agent/chatops-agent#' /opt/chatops-agent/chatops-agent.service | sudo tee /etc/systemd/system/chatops-agent.service >/dev/null",
    'sudo systemctl daemon-reload && sudo systemctl enable --now chatops-agent',
  ].join('\n');
}

/** This hub's address as the browser reaches it, including any path prefix before the page. */
export function hubUrl(location: Pick<Location, 'origin' | 'pathname'>): string {
  return (location.origin + location.pathname.replace(/\/[^/]*$/, '')).replace(/\/+$/, '');
}
