# praxcheck host collection for Windows (preamble of every part). Reads only: registry values, CIM classes and
# cmdlets; changes nothing. Each section writes a marker line and one JSON value (nothing
# when there is no result, an error record when it fails). Property names and enum
# values do not depend on the display language; localised texts are not interpreted.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }

function Section([string]$Name, [scriptblock]$Body) {
  [Console]::Out.WriteLine('##praxcheck-section:' + $Name)
  try {
    $r = & $Body
    if ($null -ne $r) { [Console]::Out.WriteLine(($r | ConvertTo-Json -Depth 4 -Compress)) }
  } catch {
    $e = $_
    $o = [ordered]@{
      praxcheckError = $true
      category = [string]$e.CategoryInfo.Category
      errorId = [string]$e.FullyQualifiedErrorId
      hresult = [int64]$e.Exception.HResult
      message = [string]$e.Exception.Message
    }
    [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress))
  }
}

# Values of one registry key (missing key or value: null). Never used for secrets.
function Reg([string]$Path, [string[]]$Names) {
  $o = [ordered]@{}
  $k = Get-Item -LiteralPath $Path -ErrorAction SilentlyContinue
  foreach ($n in $Names) {
    if ($null -ne $k) { $o[$n] = $k.GetValue($n, $null) } else { $o[$n] = $null }
  }
  $o['KeyExists'] = ($null -ne $k)
  [pscustomobject]$o
}

