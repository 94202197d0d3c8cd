-- rec-sqlite.sql - the workload of rec-sqlite.rep: an in-memory database
-- of orders and customers, filled by recursive queries, indexed, joined,
-- aggregated, updated and pruned.
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, region TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, item TEXT,
                    qty INTEGER, price REAL);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO customer SELECT i, 'customer-' || i,
       CASE i % 5 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east'
                  WHEN 3 THEN 'west' ELSE 'centre' END FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO orders SELECT i, 1 + (i * 7919) % 2000,
       'item-' || ((i * 104729) % 500), 1 + i % 9, ((i * 31) % 1000) / 10.0 FROM n;

CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX orders_item ON orders(item);

SELECT region, count(*), round(sum(qty * price), 2)
  FROM orders JOIN customer ON customer.id = orders.customer
 GROUP BY region ORDER BY region;

SELECT item, sum(qty) AS total FROM orders GROUP BY item
 ORDER BY total DESC, item LIMIT 5;

SELECT c.name, group_concat(o.item, ',')
  FROM customer c JOIN orders o ON o.customer = c.id
 WHERE c.id % 97 = 0 GROUP BY c.id ORDER BY c.id;

UPDATE orders SET price = price * 1.1 WHERE item LIKE 'item-1%';
DELETE FROM orders WHERE qty = 1;
SELECT count(*), round(avg(price), 3) FROM orders;
