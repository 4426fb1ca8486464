## praxcheck message catalogue: German (default). Keys must match en.ftl.

scan-files-unreadable = { $count ->
    [one] Eine Datei konnte nicht vollständig gelesen werden.
   *[other] { $count } Dateien konnten nicht vollständig gelesen werden.
}
