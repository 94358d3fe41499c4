// tasker-admin: see TaskerAdmin.swift.
TaskerAdmin.main()
