print("csv-bench")
