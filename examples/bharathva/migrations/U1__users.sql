drop table tweets;
drop table users;
