# Part 1: operating system, updates, firewall, remote access, protection.
Section 'context' {
  $id = [Security.Principal.WindowsIdentity]::GetCurrent()
  $p = New-Object Security.Principal.WindowsPrincipal($id)
  [ordered]@{
    Elevated = $p.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    UserName = $id.Name
    UserSid = $id.User.Value
    GroupSids = @($id.Groups | ForEach-Object { $_.Value })
    PSVersion = $PSVersionTable.PSVersion.ToString()
    Culture = (Get-Culture).Name
    SystemDrive = $env:SystemDrive
  }
}
Section 'os_registry' {
  Reg 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' @('ProductName', 'EditionID', 'InstallationType', 'CurrentBuild', 'CurrentBuildNumber', 'UBR', 'DisplayVersion', 'ReleaseId', 'CurrentMajorVersionNumber', 'CurrentMinorVersionNumber', 'CurrentVersion')
}
Section 'os_cim' {
  Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object Caption, Version, BuildNumber, ProductType, OSArchitecture, LastBootUpTime, InstallDate
}
Section 'hotfixes' {
  Get-CimInstance -ClassName Win32_QuickFixEngineering | Select-Object HotFixID, Description, InstalledOn
}
Section 'wu_results' {
  $au = New-Object -ComObject Microsoft.Update.AutoUpdate
  [ordered]@{
    LastSearchSuccessDate = $au.Results.LastSearchSuccessDate
    LastInstallationSuccessDate = $au.Results.LastInstallationSuccessDate
  }
}
Section 'wu_policy' {
  Reg 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU' @('NoAutoUpdate', 'AUOptions')
}
Section 'reboot' {
  [ordered]@{
    CbsRebootPending = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    WuRebootRequired = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
    PendingFileRename = ($null -ne (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue))
  }
}
Section 'firewall_profiles' {
  Get-NetFirewallProfile -PolicyStore ActiveStore | Select-Object Name, Enabled, DefaultInboundAction, DefaultOutboundAction
}
Section 'firewall_registry' {
  foreach ($p in 'DomainProfile', 'StandardProfile', 'PublicProfile') {
    $r = Reg ('HKLM:\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\' + $p) @('EnableFirewall', 'DefaultInboundAction')
    $g = Reg ('HKLM:\SOFTWARE\Policies\Microsoft\WindowsFirewall\' + $p) @('EnableFirewall', 'DefaultInboundAction')
    [ordered]@{ Profile = $p; EnableFirewall = $r.EnableFirewall; DefaultInboundAction = $r.DefaultInboundAction; PolicyEnableFirewall = $g.EnableFirewall; PolicyDefaultInboundAction = $g.DefaultInboundAction }
  }
}
Section 'firewall_rules' {
  $ports = @{}
  Get-NetFirewallPortFilter -PolicyStore ActiveStore | ForEach-Object { $ports[$_.InstanceID] = $_ }
  $addrs = @{}
  Get-NetFirewallAddressFilter -PolicyStore ActiveStore | ForEach-Object { $addrs[$_.InstanceID] = $_ }
  Get-NetFirewallRule -PolicyStore ActiveStore -Direction Inbound -Enabled True -Action Allow | ForEach-Object {
    $pf = $ports[$_.Name]
    $af = $addrs[$_.Name]
    [ordered]@{ Name = $_.Name; DisplayName = $_.DisplayName; Profile = $_.Profile; Protocol = $pf.Protocol; LocalPort = @($pf.LocalPort); RemoteAddress = @($af.RemoteAddress) }
  }
}
Section 'rdp' {
  $ts = Reg 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server' @('fDenyTSConnections')
  $tcp = Reg 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' @('UserAuthentication', 'PortNumber', 'SecurityLayer')
  $pol = Reg 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' @('fDenyTSConnections', 'UserAuthentication')
  [ordered]@{ fDenyTSConnections = $ts.fDenyTSConnections; UserAuthentication = $tcp.UserAuthentication; PortNumber = $tcp.PortNumber; SecurityLayer = $tcp.SecurityLayer; PolicyDenyTSConnections = $pol.fDenyTSConnections; PolicyUserAuthentication = $pol.UserAuthentication }
}
Section 'smb_server' {
  Get-SmbServerConfiguration | Select-Object EnableSMB1Protocol, EnableSMB2Protocol
}
Section 'smb_registry' {
  $p = Reg 'HKLM:\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters' @('SMB1')
  $c = Reg 'HKLM:\SYSTEM\CurrentControlSet\Services\mrxsmb10' @('Start')
  [ordered]@{ SMB1 = $p.SMB1; ClientSmb1Start = $c.Start; ClientSmb1Present = $c.KeyExists }
}
Section 'shares' {
  Get-SmbShare | Where-Object { -not $_.Special } | ForEach-Object {
    $s = $_
    Get-SmbShareAccess -Name $s.Name | ForEach-Object {
      $sid = $null
      try { $sid = (New-Object Security.Principal.NTAccount($_.AccountName)).Translate([Security.Principal.SecurityIdentifier]).Value } catch { }
      [ordered]@{ Share = $s.Name; Path = $s.Path; AccountName = $_.AccountName; Sid = $sid; AccessControlType = $_.AccessControlType; AccessRight = $_.AccessRight }
    }
  }
}
Section 'defender' {
  Get-MpComputerStatus | Select-Object AMServiceEnabled, AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureLastUpdated, AntivirusSignatureAge, AntivirusSignatureVersion, IsTamperProtected, AMRunningMode
}
Section 'security_center' {
  Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select-Object displayName, productState, timestamp, pathToSignedProductExe
}
Section 'screenlock' {
  $m = Reg 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' @('InactivityTimeoutSecs')
  $u = Reg 'HKCU:\Control Panel\Desktop' @('ScreenSaveActive', 'ScreenSaverIsSecure', 'ScreenSaveTimeOut')
  $p = Reg 'HKCU:\Software\Policies\Microsoft\Windows\Control Panel\Desktop' @('ScreenSaveActive', 'ScreenSaverIsSecure', 'ScreenSaveTimeOut')
  [ordered]@{ InactivityTimeoutSecs = $m.InactivityTimeoutSecs; ScreenSaveActive = $u.ScreenSaveActive; ScreenSaverIsSecure = $u.ScreenSaverIsSecure; ScreenSaveTimeOut = $u.ScreenSaveTimeOut; PolicyScreenSaveActive = $p.ScreenSaveActive; PolicyScreenSaverIsSecure = $p.ScreenSaverIsSecure; PolicyScreenSaveTimeOut = $p.ScreenSaveTimeOut }
}
Section 'autologon' {
  $k = Get-Item -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
  # Only whether a password value exists; its content is never read.
  [ordered]@{ AutoAdminLogon = $k.GetValue('AutoAdminLogon', $null); DefaultUserName = $k.GetValue('DefaultUserName', $null); DefaultDomainName = $k.GetValue('DefaultDomainName', $null); HasDefaultPassword = (@($k.GetValueNames()) -contains 'DefaultPassword'); AutoLogonCount = $k.GetValue('AutoLogonCount', $null) }
}
Section 'bitlocker' {
  Get-BitLockerVolume | Select-Object MountPoint, VolumeType, ProtectionStatus, VolumeStatus, EncryptionPercentage, EncryptionMethod
}
