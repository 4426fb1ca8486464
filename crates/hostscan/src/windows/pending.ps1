# Part 3: pending Windows updates from the update agent's local cache only
# (IUpdateSearcher.Online = $false: no search on the internet). Its own process, so a slow
# update agent cannot hold the other facts.
Section 'wu_pending' {
  $s = New-Object -ComObject Microsoft.Update.Session
  $q = $s.CreateUpdateSearcher()
  $q.Online = $false
  $r = $q.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
  foreach ($u in $r.Updates) {
    [ordered]@{ Title = $u.Title; KB = (@($u.KBArticleIDs) -join ','); MsrcSeverity = $u.MsrcSeverity; CategoryIds = @($u.Categories | ForEach-Object { $_.CategoryID }) }
  }
}
