## praxcheck message catalogue: English. Keys must match de.ftl.

scan-files-unreadable = { $count ->
    [one] One file could not be read completely.
   *[other] { $count } files could not be read completely.
}
