log_group = "cloudtrail-default"
patterns = {
  NoMFAConsoleSignin = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
}
period = 300
