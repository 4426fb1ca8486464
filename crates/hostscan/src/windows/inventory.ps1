# Part 2: accounts, installed software, services, network, backups.
Section 'users' {
  Get-LocalUser | Select-Object Name, SID, Enabled, PasswordRequired, PasswordLastSet, LastLogon, PrincipalSource
}
Section 'admins' {
  # By SID: the group's name is localised ("Administratoren").
  try {
    Get-LocalGroupMember -SID 'S-1-5-32-544' | Select-Object Name, SID, PrincipalSource, ObjectClass
  } catch {
    Get-CimInstance -ClassName Win32_Group -Filter "SID='S-1-5-32-544'" | Get-CimAssociatedInstance -Association Win32_GroupUser | Select-Object Name, Domain, SID, SIDType
  }
}
Section 'uninstall' {
  foreach ($root in 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall', 'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall') {
    Get-ChildItem -LiteralPath $root -ErrorAction SilentlyContinue | ForEach-Object {
      $n = $_.GetValue('DisplayName', $null)
      if ($n) {
        [ordered]@{ Key = $_.Name; DisplayName = $n; DisplayVersion = $_.GetValue('DisplayVersion', $null); Publisher = $_.GetValue('Publisher', $null); InstallLocation = $_.GetValue('InstallLocation', $null); InstallDate = $_.GetValue('InstallDate', $null); SystemComponent = $_.GetValue('SystemComponent', $null) }
      }
    }
  }
}
Section 'java' {
  $homes = New-Object System.Collections.ArrayList
  foreach ($root in 'HKLM:\SOFTWARE\JavaSoft', 'HKLM:\SOFTWARE\WOW6432Node\JavaSoft', 'HKLM:\SOFTWARE\Eclipse Adoptium', 'HKLM:\SOFTWARE\Eclipse Foundation', 'HKLM:\SOFTWARE\Azul Systems\Zulu') {
    Get-ChildItem -LiteralPath $root -Recurse -ErrorAction SilentlyContinue | ForEach-Object {
      $h = $_.GetValue('JavaHome', $null)
      if (-not $h) { $h = $_.GetValue('Path', $null) }
      if ($h) { [void]$homes.Add(@($_.Name, [string]$h)) }
    }
  }
  foreach ($pf in @($env:ProgramFiles, ${env:ProgramFiles(x86)})) {
    if (-not $pf) { continue }
    foreach ($vendor in 'Java', 'Eclipse Adoptium', 'Zulu', 'Microsoft', 'Amazon Corretto', 'BellSoft', 'Eclipse Foundation') {
      Get-ChildItem -LiteralPath (Join-Path $pf $vendor) -Directory -ErrorAction SilentlyContinue | ForEach-Object { [void]$homes.Add(@($null, $_.FullName)) }
    }
  }
  $seen = @{}
  foreach ($h in $homes) {
    $jh = ([string]$h[1]).TrimEnd('\')
    if ($seen.ContainsKey($jh)) { continue }
    $seen[$jh] = $true
    $rel = Join-Path $jh 'release'
    $text = $null
    if (Test-Path -LiteralPath $rel) { $text = Get-Content -LiteralPath $rel -Raw }
    [ordered]@{ Home = $jh; Key = $h[0]; Release = $text }
  }
}
Section 'services' {
  Get-CimInstance -ClassName Win32_Service | Select-Object Name, DisplayName, State, StartMode, PathName
}
Section 'processes' {
  Get-Process | Select-Object Id, ProcessName
}
Section 'listening_tcp' {
  Get-NetTCPConnection -State Listen | Select-Object LocalAddress, LocalPort, OwningProcess
}
Section 'listening_udp' {
  Get-NetUDPEndpoint | Select-Object LocalAddress, LocalPort, OwningProcess
}
Section 'routes' {
  Get-NetRoute -DestinationPrefix '0.0.0.0/0' | Select-Object NextHop, InterfaceAlias, InterfaceIndex, RouteMetric
}
Section 'addresses' {
  Get-NetIPAddress -AddressFamily IPv4 | Select-Object IPAddress, PrefixLength, InterfaceAlias
}
Section 'volumes' {
  Get-CimInstance -ClassName Win32_LogicalDisk | Select-Object DeviceID, DriveType, ProviderName, VolumeName, FileSystem, Size, FreeSpace
}
Section 'wbadmin' {
  Get-WBSummary | Select-Object LastSuccessfulBackupTime, LastSuccessfulBackupTargetPath, LastSuccessfulBackupTargetLabel, LastBackupTime, LastBackupTarget, LastBackupResultHR, NumberOfVersions, NextBackupTime
}
