patterns = {
  RootUsage = "{ $.userIdentity.type = \"Root\" }"
}
