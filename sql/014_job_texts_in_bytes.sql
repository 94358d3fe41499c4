-- A job's description and instructions hold up to 20,000 characters each (Routes'
-- JobInput). TEXT holds 65,535 bytes, which 4-byte characters (emoji) overflow from 16,384
-- characters on; MEDIUMTEXT (16 MiB) holds the limit in any characters.
ALTER TABLE jobs
    MODIFY description MEDIUMTEXT NOT NULL,
    MODIFY instructions MEDIUMTEXT NOT NULL;
