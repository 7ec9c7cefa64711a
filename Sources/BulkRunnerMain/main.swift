print("bulkrunner")
